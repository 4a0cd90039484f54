import { describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../source/import-source.js';
import { textAt, xmlElements, type XmlElement } from './xml-elements.js';

async function collect(xml: string, match: (path: readonly string[]) => boolean): Promise<XmlElement[]> {
  const out: XmlElement[] = [];
  for await (const e of xmlElements(await sourceFromBytes('f.xml', xml), { match })) out.push(e);
  return out;
}

describe('xmlElements', () => {
  it('yields matched elements as trees, with text, attributes, prefixes and lines', async () => {
    const xml =
      '<?xml version="1.0"?>\n<r xmlns:gx="x">\n<gx:Track a="1"><when>t1</when><gx:coord>1 2</gx:coord></gx:Track>\n<other/>\n</r>';
    const [track, ...rest] = await collect(xml, (p) => p.join('/') === 'r/Track');
    expect(rest).toEqual([]);
    expect(track).toMatchObject({ name: 'gx:Track', local: 'Track', attrs: { a: '1' }, line: 3 });
    expect(track!.children.map((c) => c.name)).toEqual(['when', 'gx:coord']);
    expect(textAt(track!, 'coord')).toBe('1 2');
  });

  it('reads CDATA and predefined entities, and streams many elements', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => `<i><v><![CDATA[${i}&]]></v><w>a&amp;b</w></i>`).join('');
    const found = await collect(`<list>${items}</list>`, (p) => p[1] === 'i');
    expect(found).toHaveLength(5000);
    expect(textAt(found[4999]!, 'v')).toBe('4999&');
    expect(textAt(found[0]!, 'w')).toBe('a&b');
  });

  it('refuses a DOCTYPE declaring entities (billion laughs) before expanding anything', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    await expect(collect(bomb, () => true)).rejects.toMatchObject({
      code: 'import_invalid',
      message: expect.stringContaining('entities'),
    });
  });

  it('refuses external entities and external DTDs', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    await expect(collect(xxe, () => true)).rejects.toMatchObject({ code: 'import_invalid' });
    const dtd = '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.org/r.dtd"><r/>';
    await expect(collect(dtd, () => true)).rejects.toMatchObject({ code: 'import_invalid' });
  });

  it('accepts a plain DOCTYPE without declarations (Apple Health has one with an internal subset of ATTLISTs)', async () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE HealthData [<!ELEMENT HealthData (Record*)><!ATTLIST Record type CDATA #REQUIRED>]><HealthData><Record type="a"/></HealthData>';
    expect(await collect(xml, (p) => p[1] === 'Record')).toHaveLength(1);
  });

  it('names the line of malformed XML and of a truncated file', async () => {
    await expect(collect('<a>\n<b></c></a>', () => false)).rejects.toMatchObject({
      code: 'import_invalid',
      details: { file: 'f.xml', line: 2 },
    });
    await expect(collect('<a><b>text', () => false)).rejects.toMatchObject({ code: 'import_invalid' });
  });

  it('refuses an element with an absurd amount of text', async () => {
    const xml = `<a><b>${'x'.repeat(1024 * 1024 + 10)}</b></a>`;
    await expect(collect(xml, (p) => p[1] === 'b')).rejects.toMatchObject({
      message: expect.stringContaining('1 MiB'),
    });
  });
});
