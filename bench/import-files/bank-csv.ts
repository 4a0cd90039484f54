/**
 * A bank CSV export for the import benchmark, streamed to disk in the shape of a Crédit Agricole
 * "Liste des opérations": Windows-1252, `;`, CRLF, a preamble with the account number and the
 * balance, `Date;Date valeur;Libellé;Débit euros;Crédit euros;`, labels in quotes over two lines,
 * decimal commas and space-grouped thousands, newest operations first, about 25 a day over some
 * eleven years for 100,000 (a busy account), some identical operations on one day. About 110 bytes an operation. Deterministic for a count.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from '../../catalog/synthetic/rng.js';

const LAST_DAY_MS = Date.parse('2026-03-19T00:00:00Z');
const MERCHANTS = [
  'CARREFOUR MARKET PARIS 11',
  'BOULANGERIE DU MARCHÉ',
  'PHARMACIE CENTRALE',
  'SNCF INTERNET',
  'FNAC.COM',
  'CAFÉ DE LA GARE',
  'MONOPRIX',
  'STATION TOTAL ÉNERGIES',
  'LIBRAIRIE GÉRARD',
  'PICARD SURGELÉS',
];
const DEBITS = ['PRELEVEMENT \nEDF CLIENTS PARTICULIERS', 'PRELEVEMENT \nFREE MOBILE', 'PRELEVEMENT \nMAAF ASSURANCES'];

/** Writes a statement of `count` operations to `path`; resolves once the file is flushed. */
export async function writeBankCsv(path: string, count: number): Promise<void> {
  const rng = new Rng(`bank-csv:${count}`);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const write = async (text: string) => {
    if (!out.write(Buffer.from(text, 'latin1'))) await once(out, 'drain');
  };
  await write(
    [
      'Téléchargement du 19/03/2026;',
      ';',
      'M OU MME DUPONT JEAN;',
      'Compte de Dépôt carte n° 12345678901;',
      'Solde au 19/03/2026 1 234,56 €;',
      ';',
      `Liste des opérations du compte entre le 01/01/2000 et le 19/03/2026;`,
      ';',
      'Date;Date valeur;Libellé;Débit euros;Crédit euros;',
      '',
    ]
      .join('\r\n')
      .replace(/€/g, '\u0080'),
  );
  let day = LAST_DAY_MS;
  let batch = '';
  for (let i = 0; i < count; i++) {
    if (rng.chance(0.04)) day -= 86_400_000;
    const date = frenchDate(day);
    const valueDate = frenchDate(day + (rng.chance(0.2) ? 86_400_000 : 0));
    let label: string;
    let debit = '';
    let credit = '';
    const kind = rng.int(0, 19);
    if (kind === 0) {
      label = 'VIREMENT EN VOTRE FAVEUR \nSALAIRE SOCIÉTÉ ÉTOILE';
      credit = money(rng.int(150_000, 450_000));
    } else if (kind <= 3) {
      label = rng.pick(DEBITS);
      debit = money(rng.int(1_500, 25_000));
    } else {
      label = `CARTE X1234 ${date.slice(0, 5)} \n${rng.pick(MERCHANTS)}`;
      debit = money(rng.int(120, 18_000));
    }
    batch += `${date};${valueDate};"${label.replace('\n', '\r\n')}\r\n";${debit};${credit};\r\n`;
    if (batch.length > 256 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  out.end();
  await once(out, 'finish');
}

function frenchDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** Cents as the bank writes them: `1 234,56`. */
function money(cents: number): string {
  const euros = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, ' ');
  return `${euros},${pad(cents % 100)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
