/**
 * OFX and QFX bank and card statements, 1.x (SGML) and 2.x (XML), into bank.account and
 * bank.transaction. Streaming: tokens (ofx-tokenizer.ts) build small element trees (ofx-tree.ts)
 * that the statement reader (ofx-statements.ts) turns into records and drops.
 * See docs/importers/bank-ofx-qif.md.
 */
import type { ImportRecord, ImportSample, ImportSource, Importer, ParseContext } from '../importer.js';
import { createOfxStatementReader, OFX_AGGREGATES } from './ofx-statements.js';
import { createOfxTokenizer } from './ofx-tokenizer.js';
import { createOfxTree } from './ofx-tree.js';

const HEADER_1 = /^OFXHEADER\s*:\s*\d/i;
const HEADER_2 = /^(?:<\?xml[^>]*\?>\s*)?<\?OFX\s[^>]*OFXHEADER\s*=/i;
const ROOT = /^(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<OFX\s*>/i;

/**
 * By content: a 1.x header (`OFXHEADER:100`), a 2.x processing instruction
 * (`<?OFX OFXHEADER="200"...?>`), or, a little less sure, an `<OFX>` root with no header.
 */
export function detectOfx(sample: ImportSample): number {
  const head = sample.text.slice(0, 8192).trimStart();
  if (HEADER_1.test(head) || HEADER_2.test(head)) return 1;
  if (ROOT.test(head)) return 0.9;
  return 0;
}

async function* parseOfx(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const queue: ImportRecord[] = [];
  const reader = createOfxStatementReader(source.name, ctx, (record) => queue.push(record));
  const tree = createOfxTree(source.name, OFX_AGGREGATES, reader.handler);
  const tokenizer = createOfxTokenizer(source.name, tree);
  for await (const chunk of source.text()) {
    tokenizer.write(chunk);
    if (queue.length > 0) yield* queue.splice(0);
  }
  tokenizer.end();
  tree.finish(tokenizer.line());
  reader.finish();
  yield* queue.splice(0);
}

export const ofxImporter: Importer = {
  id: 'ofx',
  title: 'OFX or QFX bank statement (1.x SGML or 2.x XML)',
  doctypes: ['bank.account', 'bank.transaction'],
  detect: detectOfx,
  parse: parseOfx,
};
