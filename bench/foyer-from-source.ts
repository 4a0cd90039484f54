/** The `foyer` CLI straight from the TypeScript sources (run with `node --import tsx`): the test's launcher. */
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
