import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/core/catalog/catalog.js';
import type { Doctype } from '../src/core/catalog/doctype.js';
import { defaultCatalogDir, loadCatalog } from '../src/core/catalog/load-catalog.js';
import { generators } from './generators.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogDir());
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every property schema of a doctype (nested objects, array items and $defs included), by path. */
function properties(schema: Node): [string, Node][] {
  const out: [string, Node][] = [];
  const walk = (node: Node, prefix: string) => {
    if (isNode(node.properties))
      for (const [name, child] of Object.entries(node.properties)) {
        if (!isNode(child)) continue;
        out.push([prefix + name, child]);
        walk(child, `${prefix}${name}.`);
        if (isNode(child.items)) walk(child.items, `${prefix}${name}[].`);
      }
  };
  walk(schema, '');
  if (isNode(schema.$defs))
    for (const [name, def] of Object.entries(schema.$defs)) if (isNode(def)) walk(def, `$defs.${name}.`);
  return out;
}

describe('the catalog follows its conventions', () => {
  const each = (test: (d: Doctype) => void) => () => {
    for (const d of catalog.list()) test(d);
  };

  it(
    'documents every property with an English title, a description and a French label',
    each((d) => {
      for (const [path, node] of properties(d.schema as Node)) {
        const where = `${d.name} ${path}`;
        expect(typeof node.title, where).toBe('string');
        expect(typeof node.description, where).toBe('string');
        expect(typeof node['x-label-fr'], where).toBe('string');
      }
    }),
  );

  it(
    'closes every object schema and lets document doctypes carry an optional extra object',
    each((d) => {
      const schema = d.schema as Node;
      expect(schema.additionalProperties, d.name).toBe(false);
      for (const [path, node] of properties(schema))
        if (isNode(node.properties)) expect(node.additionalProperties, `${d.name} ${path}`).toBe(false);
      const extra = (schema.properties as Node).extra;
      if (d.kind === 'document') {
        expect(extra, d.name).toMatchObject({ type: 'object' });
        expect(schema.required, d.name).not.toContain('extra');
      } else {
        expect(extra, d.name).toBeUndefined();
      }
    }),
  );

  it(
    'keeps instants in UTC: every date-time property requires the Z suffix',
    each((d) => {
      for (const [path, node] of properties(d.schema as Node))
        if (node.format === 'date-time') expect(String(node.pattern), `${d.name} ${path}`).toMatch(/Z\$$/);
    }),
  );

  it(
    'uses the same shape for the same idea across doctypes',
    each((d) => {
      const top = d.schema.properties as Record<string, Node>;
      if (top.currency) expect(top.currency.pattern, d.name).toBe('^[A-Z]{3}$');
      if (top.vendor) expect(top.vendor.type, d.name).toBe('string');
      if (top.usagePointId) expect(top.usagePointId.pattern, d.name).toBe('^[0-9]{14}$');
      if (top.lineNumber) expect(top.lineNumber.pattern, d.name).toBe('^\\+[1-9][0-9]{6,14}$');
    }),
  );

  it(
    'accepts its own example',
    each((d) => {
      const points = d.kind === 'series' ? (d.example as unknown[]) : [d.example];
      for (const point of points) expect(catalog.validate(d.name, point), d.name).toEqual([]);
    }),
  );

  it('has one generator per doctype folder, registered under its name', async () => {
    const folders = (await readdir(defaultCatalogDir(), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(Object.keys(generators).sort()).toEqual(folders.sort());
    expect(Object.keys(generators).sort()).toEqual(catalog.list().map((d) => d.name));
  });
});
