/** The process entry point (`bin/foyer.js` runs its compiled form): the CLI on the real terminal. */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
