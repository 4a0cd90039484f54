import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { importRejection, streamThrough } from '../calendar/import-test-helpers.js';
import { vcardImporter } from './vcard-importer.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const run = (bytes: Uint8Array | string, opts: { timeZone?: string } = {}) =>
  runImporter(vcardImporter, bytes, { name: 'contacts.vcf', ...opts });
const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

describe('vcardImporter.detect', () => {
  it('recognises BEGIN:VCARD in any case, after a byte order mark or blank lines', async () => {
    for (const name of ['google-contacts.vcf', 'apple-contacts.vcf', 'outlook-2.1.vcf', 'vcard-4.0.vcf']) {
      expect(await detectionOf(vcardImporter, fixture(name)), name).toBe(1);
    }
    expect(await detectionOf(vcardImporter, '\uFEFF\n\nbegin:vcard\nVERSION:2.1\n')).toBe(1);
  });

  it('claims neither calendars nor plain text, JSON, XML or CSV', async () => {
    for (const other of [
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n',
      'Mes contacts\nBEGIN:VCARD\n',
      '[{"name":"BEGIN:VCARD"}]',
      '<?xml version="1.0"?><vcards xmlns="urn:ietf:params:xml:ns:vcard-4.0"/>',
      'Nom;Prénom;Téléphone\nDupont;Marie;0612345678\n',
    ]) {
      expect(await detectionOf(vcardImporter, other), other).toBe(0);
    }
  });
});

describe('vcardImporter on a Google Contacts export (3.0)', () => {
  it('reads names, typed e-mails and phones in E.164, the address, a birthday without year, groups and the star', async () => {
    const result = await run(fixture('google-contacts.vcf'));
    await expectCatalogValid(result.records);
    expect(result.of('contact')[0]).toEqual({
      displayName: 'Marie Dupont',
      name: { given: 'Marie', family: 'Dupont' },
      emails: [
        { address: 'marie.dupont@example.fr', type: 'home' },
        { address: 'm.dupont@acme.example', type: 'work' },
      ],
      phones: [
        { number: '+33687654321', type: 'mobile' },
        { number: '+33478123456', type: 'home' },
      ],
      addresses: [{ type: 'home', street: '8 rue des Écoles', postalCode: '69007', city: 'Lyon', country: 'FR' }],
      // Google writes --0521 (the vCard 4.0 form) in 3.0 files; the catalog writes the year 1604.
      birthday: '1604-05-21',
      urls: ['https://marie.example.fr'],
      groups: ['Amis'],
      favourite: true,
      note: 'Rencontrée au club de randonnée, en 2019.\nAllergique aux noix.',
    });
  });

  it('keeps a short number under extra with a warning, and reads "+33 (0)6" without the bracketed zero', async () => {
    const result = await run(fixture('google-contacts.vcf'));
    const [, plumber, karim] = result.of('contact');
    expect(plumber).toEqual({
      displayName: 'Plombier Martin',
      organisation: 'Martin Plomberie, Dépannage',
      phones: [{ number: '+33472001122', type: 'work' }],
      groups: ['Services'],
      extra: { otherPhones: [{ value: '3631', type: 'other' }] },
    });
    expect(karim!.phones).toEqual([{ number: '+33611223344', type: 'mobile' }]);
    expect(result.warnings).toEqual([
      {
        line: 21,
        message: 'the phone number "3631" cannot be written in international form: it is kept under extra.otherPhones',
      },
    ]);
  });

  it('gives cards without UID a fingerprint of name and first e-mail or phone, the same on every import', async () => {
    const first = await run(fixture('google-contacts.vcf'));
    const again = await run(fixture('google-contacts.vcf'));
    const keys = first.records.map((r) => (r.kind === 'document' ? r.key : ''));
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^fp1:[0-9a-f]{32}\|0$/);
    expect(new Set(keys).size).toBe(3);
    expect(again.records.map((r) => (r.kind === 'document' ? r.key : ''))).toEqual(keys);
    // A later export where Marie's card gained a note keeps her key.
    const later = await run(
      fixture('google-contacts.vcf').toString('utf8').replace('BDAY:--0521', 'BDAY:--0521\r\nNOTE:Nouvelle note'),
    );
    expect(later.records[0]!.kind === 'document' && later.records[0]!.key).toBe(keys[0]);
  });
});

describe('vcardImporter on an Apple Contacts export (3.0)', () => {
  it('reads X-ABLabel labels of grouped properties, X-ABADR countries, repeated type= parameters and escaped colons', async () => {
    const result = await run(fixture('apple-contacts.vcf'));
    await expectCatalogValid(result.records);
    expect(result.records[0]).toMatchObject({ key: 'uid:0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9' });
    expect(result.of('contact')[0]).toEqual({
      uid: '0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9',
      displayName: 'Dr Jean Pierre Lemaire',
      name: { given: 'Jean', family: 'Lemaire', additional: 'Pierre', prefix: 'Dr' },
      organisation: 'Cabinet médical du Parc',
      jobTitle: 'Médecin généraliste',
      emails: [{ address: 'secretariat@cabinet-du-parc.example', type: 'work', primary: true }],
      phones: [
        { number: '+33478000001', type: 'other', primary: true },
        { number: '+33612345678', type: 'mobile' },
        { number: '+33478000002', type: 'fax' },
      ],
      addresses: [
        { type: 'work', street: '12 avenue du Parc\nBâtiment B', postalCode: '69006', city: 'Lyon', country: 'FR' },
      ],
      // BDAY;X-APPLE-OMIT-YEAR=1604: a birthday without year.
      birthday: '1604-03-14',
      urls: ['https://www.cabinet-du-parc.example/rdv'],
      // A folded NOTE, unfolded.
      note: 'Patiente depuis 2015. Préférer les rendez-vous du matin; le cabinet ferme à 18 h. Accès handicapé par la rue latérale.',
    });
  });

  it('skips group cards, and keeps a national number of another country under extra', async () => {
    const result = await run(fixture('apple-contacts.vcf'));
    expect(result.of('contact').map((c) => c.displayName)).toEqual(['Dr Jean Pierre Lemaire', 'Emily Smith']);
    expect(result.of('contact')[1]).toEqual({
      uid: '5E6F7A8B-9C0D-1E2F-3A4B-5C6D7E8F9A0B',
      displayName: 'Emily Smith',
      name: { given: 'Emily', family: 'Smith' },
      phones: [{ number: '+14155550134', type: 'home' }],
      addresses: [
        {
          type: 'home',
          street: '1 Market St',
          postalCode: '94105',
          city: 'San Francisco',
          region: 'CA',
          country: 'US',
        },
      ],
      extra: { otherPhones: [{ value: '555-0199', type: 'work' }] },
    });
    expect(result.warnings.map((w) => w.line)).toEqual([79, 94]);
    expect(result.warnings[0]!.message).toBe('the card "Famille" is a group, not a contact: it is skipped');
  });
});

describe('vcardImporter on vCard 2.1 (Outlook, phones)', () => {
  it('decodes Windows-1252 bytes, quoted-printable with soft line breaks and per-property charsets', async () => {
    const result = await run(fixture('outlook-2.1.vcf'));
    await expectCatalogValid(result.records);
    const [helene, elodie] = result.of('contact');
    expect(helene).toEqual({
      displayName: 'Hélène Faure',
      name: { given: 'Hélène', family: 'Faure' },
      organisation: 'Mairie de Villeurbanne, Service état civil',
      jobTitle: 'Officier d’état civil – 2e étage',
      emails: [{ address: 'helene.faure@mairie-villeurbanne.example', primary: true }],
      // Bare 2.1 parameters: TEL;WORK;VOICE, TEL;CELL;HOME, TEL;WORK;FAX.
      phones: [
        { number: '+33478036767', type: 'work' },
        { number: '+33645127890', type: 'mobile' },
        { number: '+33478036700', type: 'fax' },
      ],
      addresses: [
        {
          type: 'work',
          street: 'Place Lazare-Goujon\nHôtel de ville',
          postalCode: '69100',
          city: 'Villeurbanne',
          country: 'FR',
        },
      ],
      note: 'Préfère être appelée le matin.\nNe pas appeler le mercredi.',
    });
    expect(elodie).toEqual({
      displayName: 'Élodie Roux',
      name: { given: 'Élodie', family: 'Roux' },
      emails: [{ address: 'elodie.roux@free.fr', type: 'home' }],
      phones: [
        { number: '+33645127891', type: 'mobile' },
        { number: '+33478123456', type: 'home' },
      ],
      birthday: '1990-02-12',
      note: "Anniversaire de sa fille : 12 juin. Rappeler pour le covoiturage de l'école.",
    });
  });

  it('swallows a base64 photo without indented lines and skips an embedded AGENT card', async () => {
    const result = await run(fixture('outlook-2.1.vcf'));
    expect(result.records).toHaveLength(2);
    expect(result.warnings).toEqual([{ line: 34, message: 'a vCard inside another (AGENT) is not imported' }]);
  });
});

describe('vcardImporter on vCard 4.0', () => {
  it('reads tel: URIs with quoted TYPE lists and PREF, --MMDD birthdays and caret-escaped parameters', async () => {
    const result = await run(fixture('vcard-4.0.vcf'));
    await expectCatalogValid(result.records);
    expect(result.records[0]).toMatchObject({ key: 'uid:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1' });
    expect(result.of('contact')[0]).toEqual({
      uid: 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1',
      displayName: 'Nathalie Perrin',
      name: { given: 'Nathalie', family: 'Perrin', prefix: 'Mme' },
      nickname: 'Nath',
      emails: [
        { address: 'nathalie.perrin@acme.example', type: 'work', primary: true },
        { address: 'nath.perrin@orange.fr', type: 'home' },
      ],
      phones: [
        { number: '+33612345678', type: 'mobile', primary: true },
        { number: '+33478123456', type: 'work' },
      ],
      addresses: [{ type: 'home', street: '3 rue des Lilas', postalCode: '69003', city: 'Lyon', country: 'FR' }],
      birthday: '1604-05-21',
      urls: ['https://nathalie.example.org'],
      groups: ['Famille', 'Voisins'],
      note: 'Ligne 1\nLigne 2 avec \\ barre, virgule; point-virgule',
    });
    expect(result.of('contact')[1]).toMatchObject({
      displayName: 'Garage du Centre',
      organisation: 'Garage du Centre',
    });
    expect(result.warnings).toEqual([
      { line: 20, message: 'the card "Club de randonnée" is a group, not a contact: it is skipped' },
    ]);
  });
});

describe('vcardImporter details', () => {
  it('builds the display name from N, ORG or an e-mail when FN is missing, and skips an empty card', async () => {
    const result = await run(
      card('N:Blanc;Chantal;;Mme;') +
        card('ORG:Garage du Centre') +
        card('EMAIL:contact@exemple.fr') +
        card('NOTE:rien d’autre'),
    );
    expect(result.of('contact').map((c) => c.displayName)).toEqual([
      'Mme Chantal Blanc',
      'Garage du Centre',
      'contact@exemple.fr',
    ]);
    expect(result.warnings).toEqual([
      { line: 13, message: 'a card without any name, e-mail address or phone number is skipped' },
    ]);
  });

  it('converts national numbers with the country of the space time zone, French overseas included', async () => {
    const result = await run(
      card('FN:A', 'TEL:0692 12 34 56', 'TEL:0033 1 23 45 67 89', 'TEL;TYPE=CELL:+1 (415) 555-0134'),
    );
    expect(result.of('contact')[0]!.phones).toEqual([
      { number: '+262692123456' },
      { number: '+33123456789' },
      { number: '+14155550134', type: 'mobile' },
    ]);
    const us = await run(card('FN:B', 'TEL:(415) 555-0134'), { timeZone: 'America/Los_Angeles' });
    expect(us.of('contact')[0]!.phones).toEqual([{ number: '+14155550134' }]);
  });

  it('skips a repeated UID and an invalid e-mail address with warnings', async () => {
    const result = await run(card('UID:x1', 'FN:A', 'EMAIL:pas-une-adresse') + card('UID:x1', 'FN:A bis'));
    expect(result.of('contact')).toEqual([{ uid: 'x1', displayName: 'A' }]);
    expect(result.warnings).toEqual([
      { line: 5, message: '"pas-une-adresse" is not an e-mail address: it is skipped' },
      { line: 7, message: 'this card has the same UID as the one at line 1: it is skipped' },
    ]);
  });

  it('keeps at most 2,000 lines of one card, with a warning', async () => {
    const notes = Array.from({ length: 2500 }, (_, i) => `X-NOTE:${i}`);
    const result = await run(card('FN:A', ...notes) + card('FN:B'));
    expect(result.of('contact').map((c) => c.displayName)).toEqual(['A', 'B']);
    expect(result.warnings).toEqual([
      {
        line: 2002,
        message: 'the card begun at line 1 holds more than 2,000 lines or 1 MB of text: the rest is ignored',
      },
    ]);
  });

  it('ignores a text birthday with a warning', async () => {
    const result = await run(card('FN:A', 'BDAY;VALUE=text:vers 1950'));
    expect(result.of('contact')[0]!.birthday).toBeUndefined();
    expect(result.warnings).toEqual([{ line: 4, message: 'the birthday "vers 1950" is not a date: it is ignored' }]);
  });
});

describe('vcardImporter on bad input', () => {
  it('refuses a truncated file, naming the card that is cut', async () => {
    const text = fixture('vcard-4.0.vcf').toString('utf8');
    const error = await importRejection(run(text.slice(0, text.indexOf('GENDER'))));
    expect(error.message).toBe('contacts.vcf: the file ends inside the vCard begun at line 1: it is truncated');
  });

  it('refuses impossible and absurd birthdays, naming the line', async () => {
    expect((await importRejection(run(card('FN:A', 'BDAY:20241345')))).message).toBe(
      'contacts.vcf, line 4: BDAY: "20241345" is not a real date',
    );
    expect((await importRejection(run(card('FN:A', 'BDAY:1200-05-21')))).message).toBe(
      'contacts.vcf, line 4: BDAY: the year 1200 of "1200-05-21" is not plausible for a birthday',
    );
  });

  it('refuses an END:VCARD without BEGIN and a file without any card', async () => {
    expect((await importRejection(run('FN:A\r\nEND:VCARD\r\n'))).message).toBe(
      'contacts.vcf, line 2: END:VCARD closes no BEGIN:VCARD',
    );
    expect((await importRejection(run('FN:A\r\n'))).message).toBe('contacts.vcf: there is no BEGIN:VCARD in this file');
  });
});

describe('vcardImporter streaming', () => {
  it('reads 1,000 cards with 200 KB photos, never holding a photo, the first card out before the file is read', async () => {
    const photoLine = `PHOTO;ENCODING=b;TYPE=JPEG:${'/9j/4AAQ'.repeat(25_000)}`.match(/.{1,74}/g)!.join('\r\n ');
    const { count, chunksReadAtFirst } = await streamThrough(
      vcardImporter,
      function* () {
        for (let i = 0; i < 1000; i++) {
          yield `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact ${i}\r\nUID:c${i}\r\n${photoLine}\r\nEND:VCARD\r\n`;
        }
      },
      (data, i) => expect(data).toEqual({ uid: `c${i}`, displayName: `Contact ${i}` }),
    );
    expect(count).toBe(1000);
    expect(chunksReadAtFirst).toBeLessThan(3);
  }, 60_000);
});
