/**
 * Stratified jitter. Connectors planned independently from their hash alone land in a window like
 * balls in bins: at 10,000 spaces the busiest minute of a day gets about 1.5 times the mean from
 * chance alone. Knowing every installed connector, the scheduler does better: connectors sharing
 * a schedule and a time zone (the same windows) are ordered by their hash, the k-th of n gets
 * the k-th n-th of the period, and its own hash places it within that stratum. A lone connector
 * keeps its plain hash; the same installed set always gives the same phases (restarts move
 * nobody); one more connector in a group moves the others by at most a stratum (window / n).
 */
import { jitter } from './jitter.js';
import type { InstalledConnector } from './schedule-facts.js';

export const phaseKey = (c: Pick<InstalledConnector, 'space' | 'connectorId'>) => `${c.space}\n${c.connectorId}`;

/** Each connector's phase in [0, 1), by `phaseKey`. */
export function spreadPhases(installed: readonly InstalledConnector[]): Map<string, number> {
  const groups = new Map<string, { c: InstalledConnector; order: number }[]>();
  for (const c of installed) {
    const { frequency, window } = c.schedule;
    const group = `${frequency} ${window ? `${window.start}-${window.end}` : 'all day'} ${c.timeZone}`;
    let members = groups.get(group);
    if (!members) groups.set(group, (members = []));
    members.push({ c, order: jitter(c.space, c.connectorId) });
  }
  const phases = new Map<string, number>();
  for (const members of groups.values()) {
    members.sort((a, b) => a.order - b.order || (phaseKey(a.c) < phaseKey(b.c) ? -1 : 1));
    const n = members.length;
    members.forEach(({ c, order }, k) => {
      phases.set(phaseKey(c), n === 1 ? order : (k + jitter(c.space, c.connectorId, 'stratum')) / n);
    });
  }
  return phases;
}
