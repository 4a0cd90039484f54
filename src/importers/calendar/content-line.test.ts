import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeQuotedPrintable, parseContentLine, typesOf } from './content-line.js';

const parse = (text: string | Uint8Array) =>
  parseContentLine({
    n: 1,
    bytes: typeof text === 'string' ? Buffer.from(text) : text,
    skipped: false,
    truncated: false,
  });

describe('parseContentLine', () => {
  it('reads group, name, parameters with quoted values holding ; : and , and the value', () => {
    const line = parse('item1.TEL;TYPE="voice,cell";PREF=1;X-NOTE="a;b:c":tel:+33-6-12-34-56-78')!;
    expect(line.group).toBe('item1');
    expect(line.name).toBe('TEL');
    expect(Object.fromEntries(line.params)).toEqual({ TYPE: ['voice,cell'], PREF: ['1'], 'X-NOTE': ['a;b:c'] });
    expect(line.value).toBe('tel:+33-6-12-34-56-78');
    expect([...typesOf(line)]).toEqual(['VOICE', 'CELL']);
  });

  it('reads bare vCard 2.1 parameters as TYPE or ENCODING values, and repeated parameters', () => {
    const line = parse('TEL;CELL;HOME;QUOTED-PRINTABLE:06=2012')!;
    expect(Object.fromEntries(line.params)).toEqual({ TYPE: ['CELL', 'HOME'], ENCODING: ['QUOTED-PRINTABLE'] });
    expect(line.value).toBe('06 12');
    expect([...typesOf(parse('EMAIL;type=INTERNET;type=pref:a@b.fr')!)]).toEqual(['INTERNET', 'PREF']);
  });

  it('decodes RFC 6868 caret escapes in parameter values', () => {
    expect(parse('ADR;LABEL="1 rue^nLyon ^\'A^\' ^^":;;1 rue')!.params.get('LABEL')).toEqual(['1 rue\nLyon "A" ^']);
  });

  it('decodes quoted-printable and base64 values in their declared charset', () => {
    expect(parse('N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:H=E9l=E8ne')!.value).toBe('Hélène');
    expect(parse('N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=89lodie')!.value).toBe('Élodie');
    expect(parse(`NOTE;ENCODING=b:${Buffer.from('Noël').toString('base64')}`)!.value).toBe('Noël');
  });

  it('reads raw bytes as UTF-8 when they are, else in the declared charset or Windows-1252', () => {
    expect(parse(Buffer.from('FN:Hélène', 'utf8'))!.value).toBe('Hélène');
    expect(parse(Buffer.from('FN;CHARSET=ISO-8859-1:Hélène', 'latin1'))!.value).toBe('Hélène');
    // Windows-1252 bytes: "l’été : 5 €, cœur".
    const cp1252 = Buffer.from([
      0x6c, 0x92, 0xe9, 0x74, 0xe9, 0x20, 0x3a, 0x20, 0x35, 0x20, 0x80, 0x2c, 0x20, 0x63, 0x9c, 0x75, 0x72,
    ]);
    expect(parse(Buffer.concat([Buffer.from('NOTE:'), cp1252]))!.value).toBe('l’été : 5 €, cœur');
    expect(decodeBytes(Buffer.from([0x80, 0x20, 0xe9]))).toBe('€ é');
  });

  it('returns undefined for a line without a colon or with a bad name', () => {
    expect(parse('no colon here')).toBeUndefined();
    expect(parse('BAD NAME:x')).toBeUndefined();
    expect(parse(':value')).toBeUndefined();
  });

  it('keeps a malformed quoted-printable escape as written', () => {
    expect(Buffer.from(decodeQuotedPrintable(Buffer.from('a=ZZb=4'))).toString()).toBe('a=ZZb=4');
  });
});
