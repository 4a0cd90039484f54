/**
 * The apps a Foyer knows: those `apps/registry.json` lists (loaded at start), plus any added from
 * a folder (`foyer app install <folder>`, `foyer app dev`). Adding one defines its doctypes in the
 * catalog, so the grants its install asks for can name them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { FoyerError } from '../core/errors.js';
import { packageRoot } from '../platform/package-root.js';
import type { AppCatalog } from './app-catalog.js';
import { loadAppPackage, type AppPackage } from './app-package.js';

const registrySchema = z.object({
  apps: z.array(z.object({ id: z.string(), path: z.string().min(1) }).strict()),
});

export const defaultRegistryFile = () => join(packageRoot(), 'apps', 'registry.json');

export interface AppRegistry {
  list(): AppPackage[];
  get(id: string): AppPackage | undefined;
  /** Loads an app from its folder (again, when it changed) and makes it known. */
  addFolder(folder: string): Promise<AppPackage>;
  /** Whether the app came from the registry file (built-in or listed) rather than a folder. */
  listed(id: string): boolean;
}

/** Reads the registry file; each listed folder must hold a valid app whose id matches the entry. */
export async function loadAppRegistry(catalog: AppCatalog, file: string = defaultRegistryFile()): Promise<AppRegistry> {
  let parsed: z.infer<typeof registrySchema>;
  try {
    parsed = registrySchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (e) {
    throw new FoyerError('internal', `The app registry ${file} is missing or malformed.`, undefined, { cause: e });
  }
  const apps = new Map<string, AppPackage>();
  const listed = new Set<string>();
  const add = (pkg: AppPackage) => {
    catalog.define(pkg.doctypes);
    apps.set(pkg.manifest.id, pkg);
    return pkg;
  };
  for (const entry of parsed.apps) {
    const pkg = await loadAppPackage(resolve(dirname(file), entry.path), { verify: false });
    if (pkg.manifest.id !== entry.id) {
      throw new FoyerError(
        'internal',
        `The app registry lists "${entry.id}" but its folder holds "${pkg.manifest.id}".`,
      );
    }
    add(pkg);
    listed.add(entry.id);
  }
  return {
    list: () => [...apps.values()].sort((a, b) => (a.manifest.id < b.manifest.id ? -1 : 1)),
    get: (id) => apps.get(id),
    async addFolder(folder) {
      return add(await loadAppPackage(folder));
    },
    listed: (id) => listed.has(id),
  };
}
