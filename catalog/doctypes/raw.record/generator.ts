import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import type { Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const todos = [
  "Renouveler l'assurance habitation",
  'Prendre rendez-vous chez le dentiste',
  'Envoyer le relevé du compteur',
  'Résilier la box internet',
  'Ranger les factures de 2024',
];

/** `count` records kept from a Cozy export: to-do items (a doctype the catalog does not describe). */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  return Array.from({ length: count }, () => {
    const id = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(rng.next() * 16)]).join('');
    return {
      source: 'cozy',
      sourceDoctype: 'io.cozy.todos',
      sourceId: id,
      data: {
        _id: id,
        title: rng.pick(todos),
        done: rng.chance(0.4),
        createdAt: isoInstant(fromMs + Math.floor(rng.next() * (toMs - fromMs))),
      },
    };
  });
}
