/** Imports node:fs statically: refused before it runs. */
import { readFileSync } from 'node:fs';

export async function run(): Promise<void> {
  readFileSync('/etc/hostname');
}
