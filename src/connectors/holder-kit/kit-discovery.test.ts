import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../sdk.js';
import { discoveryUrl, readDiscovery } from './kit-discovery.js';

const valid = () => ({
  kitVersion: '1.3',
  holder: { id: 'w', name: 'Water' },
  issuer: 'https://w.example',
  paging: { maxPageSize: 500, defaultPageSize: 100 },
  doctypes: [
    {
      name: 'water.daily',
      title: 'Water',
      schemaVersion: 1,
      schemaId: 'urn:foyer:doctype:water.daily:1',
      endpoint: 'https://w.example/v1/data/water.daily',
      unknownMember: true,
    },
  ],
  futureMember: { ignored: true },
});

function failure(body: unknown): ConnectorError {
  try {
    readDiscovery(body);
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error('readDiscovery accepted it');
}

describe('reading a Holder Kit discovery document', () => {
  it('takes what the connector uses and ignores members it does not know (minor versions add)', () => {
    expect(readDiscovery(valid())).toEqual({
      kitVersion: '1.3',
      holderName: 'Water',
      maxPageSize: 500,
      doctypes: [
        {
          name: 'water.daily',
          schemaVersion: 1,
          schemaId: 'urn:foyer:doctype:water.daily:1',
          endpoint: 'https://w.example/v1/data/water.daily',
        },
      ],
      files: null,
    });
  });

  it('takes the files endpoint when the holder serves files', () => {
    const doc = { ...valid(), endpoints: { files: 'https://w.example/v1/files/{id}', data: 'x' } };
    expect(readDiscovery(doc).files).toBe('https://w.example/v1/files/{id}');
  });

  it('finds discovery at the root of the API’s host', () => {
    expect(discoveryUrl('http://127.0.0.1:7105/some/base')).toBe('http://127.0.0.1:7105/.well-known/holder-kit');
  });

  const broken: [string, (d: Record<string, unknown>) => unknown, string][] = [
    ['not an object', () => [1], 'is not a JSON object'],
    ['no kitVersion', (d) => delete d.kitVersion, 'has no kitVersion'],
    ['another major version', (d) => (d.kitVersion = '2.0'), 'speaks Holder Kit 2.0'],
    ['no holder name', (d) => (d.holder = { id: 'w' }), 'names no holder'],
    ['no paging', (d) => delete d.paging, 'has no paging.maxPageSize'],
    ['a zero page size', (d) => (d.paging = { maxPageSize: 0 }), 'has no paging.maxPageSize'],
    ['doctypes not a list', (d) => (d.doctypes = {}), 'lists no doctypes'],
    ['a doctype without endpoint', (d) => delete (d.doctypes as Record<string, unknown>[])[0]!.endpoint, 'number 1'],
    ['a non-http endpoint', (d) => ((d.doctypes as Record<string, unknown>[])[0]!.endpoint = 'ftp://x/y'), 'number 1'],
    ['a files endpoint without {id}', (d) => (d.endpoints = { files: 'https://w.example/v1/files' }), 'files endpoint'],
    ['a files endpoint not http', (d) => (d.endpoints = { files: 'ftp://w.example/{id}' }), 'files endpoint'],
    [
      'a fractional schema version',
      (d) => ((d.doctypes as Record<string, unknown>[])[0]!.schemaVersion = 1.5),
      'number 1',
    ],
  ];
  it.each(broken)('refuses a document with %s as holder_format_changed', (_what, breakIt, message) => {
    const doc = valid() as Record<string, unknown>;
    const result = breakIt(doc);
    const error = failure(Array.isArray(result) ? result : doc);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe('holder_format_changed');
    expect(error.message).toContain(message);
  });
});
