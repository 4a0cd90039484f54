/**
 * Test fixtures for apps: a copy of the tutorial app in a temporary folder (so a test can edit
 * its manifest, as a new version would) and a registry file listing it.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../platform/package-root.js';
import type { AppManifest } from '../manifest.js';

export const TUTORIAL_DIR = join(packageRoot(), 'docs', 'tutorial-app');

export interface TutorialCopy {
  dir: string;
  registryFile: string;
  manifest(): Promise<AppManifest>;
  /** Rewrites the copy's manifest (a new version of the app on disk). */
  edit(change: (m: AppManifest) => void): Promise<void>;
}

export async function copyTutorialApp(): Promise<TutorialCopy> {
  const root = await mkdtemp(join(tmpdir(), 'foyer-apps-'));
  const dir = join(root, 'big-spends');
  await cp(TUTORIAL_DIR, dir, { recursive: true });
  const registryFile = join(root, 'registry.json');
  await writeFile(registryFile, JSON.stringify({ apps: [{ id: 'big-spends', path: 'big-spends' }] }));
  const manifest = async () => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as AppManifest;
  return {
    dir,
    registryFile,
    manifest,
    async edit(change) {
      const m = await manifest();
      change(m);
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
    },
  };
}
