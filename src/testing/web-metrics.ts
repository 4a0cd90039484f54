/**
 * The web app's measured numbers (bundle size, Home interactive time, longest task of the big
 * table), gathered by the browser tests into `test-results/web-metrics.json` and printed, so a
 * run reports them next to the targets.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../platform/package-root.js';

export const WEB_METRICS_FILE = path.join(packageRoot(), 'test-results', 'web-metrics.json');

export const WEB_TARGETS: Readonly<Record<string, number>> = {
  shellJsGzipKb: 250,
  homeInteractiveMs: 1500,
  tableScrollLongestTaskMs: 100,
  tableFilterLongestTaskMs: 100,
};

/** Records a measurement (or the several passes of one) under its name, with its target if it has one. */
export function recordWebMetric(name: string, value: number | number[]): void {
  mkdirSync(path.dirname(WEB_METRICS_FILE), { recursive: true });
  const current = existsSync(WEB_METRICS_FILE)
    ? (JSON.parse(readFileSync(WEB_METRICS_FILE, 'utf8')) as Record<string, unknown>)
    : {};
  const target = WEB_TARGETS[name];
  current[name] = { value, ...(target !== undefined ? { target } : {}), measuredAt: new Date().toISOString() };
  writeFileSync(WEB_METRICS_FILE, JSON.stringify(current, null, 2) + '\n');
  console.log(
    `web metric ${name}: ${Array.isArray(value) ? value.join(' / ') : value}${target !== undefined ? ` (target ≤ ${target})` : ''}`,
  );
}
