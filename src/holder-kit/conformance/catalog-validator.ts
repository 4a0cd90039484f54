/** Validates holder data against Foyer's catalog, found by the schema `$id` discovery names. */
import type { Catalog } from '../../core/catalog/catalog.js';

export function catalogValidator(catalog: Catalog) {
  const byId = new Map(catalog.list().map((d) => [String(d.schema.$id), d.name]));
  return async (schemaId: string, data: unknown): Promise<string[] | null> => {
    const name = byId.get(schemaId);
    if (name === undefined) return null;
    const validate = await catalog.validator(name);
    return validate(data).map((issue) => issue.message);
  };
}
