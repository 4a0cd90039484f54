/**
 * Every importer Foyer has, in one list: detection asks each of them. Adding a format is writing an
 * `Importer` and adding it here (see docs/importers.md).
 */
import type { Importer } from './importer.js';

export function allImporters(): Importer[] {
  return [];
}
