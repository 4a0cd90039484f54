import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNet, NetError } from './net.js';

/** Not valid UTF-8: a text read would change them. */
const BYTES = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);

describe('the Net seam', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; body: string; contentType: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method!, body, contentType: req.headers['content-type'] });
        if (req.url === '/slow') return; // never answers
        if (req.url === '/big') return res.end('x'.repeat(2000));
        if (req.url === '/bytes') {
          res.writeHead(200, { 'content-type': 'application/pdf' });
          return res.end(BYTES);
        }
        if (req.url === '/moved') {
          res.writeHead(302, { location: '/elsewhere' });
          return res.end();
        }
        if (req.url === '/broken') {
          res.writeHead(500);
          return res.end('oops');
        }
        res.writeHead(202, { 'content-type': 'text/plain' });
        res.end('accepted');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const net = createNet({ timeoutMs: 2000, maxResponseBytes: 1000 });

  it('sends the body and headers and hands back any status with the body', async () => {
    const ok = await net.request(`${base}/ok`, {
      method: 'POST',
      headers: { 'content-type': 'application/jwt' },
      body: 'a.b.c',
    });
    expect(ok).toMatchObject({ status: 202, body: 'accepted' });
    expect(seen.at(-1)).toEqual({ method: 'POST', body: 'a.b.c', contentType: 'application/jwt' });
    const broken = await net.request(`${base}/broken`, { method: 'GET' });
    expect(broken).toMatchObject({ status: 500, body: 'oops' });
  });

  it('does not follow redirects', async () => {
    const res = await net.request(`${base}/moved`, { method: 'GET' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/elsewhere');
  });

  it('fails with timeout when the server does not answer in time', async () => {
    const started = Date.now();
    const err = await net.request(`${base}/slow`, { method: 'POST', body: 'x', timeoutMs: 150 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetError);
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain('150 ms');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fails with unreachable when nothing listens, naming only the host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await net.request(`http://127.0.0.1:${port}/path?secret=1`, { method: 'GET' }).catch((e) => e);
    expect(err).toBeInstanceOf(NetError);
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`127.0.0.1:${port} could not be reached`);
  });

  it('fails with too_large past the size cap', async () => {
    const err = await net.request(`${base}/big`, { method: 'GET' }).catch((e) => e);
    expect(err).toBeInstanceOf(NetError);
    expect(err.kind).toBe('too_large');
  });

  it('hands back the exact bytes of a binary answer', async () => {
    const res = await net.requestBytes(`${base}/bytes`, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(res.body).equals(BYTES)).toBe(true);
  });

  it('lowers the size cap for one binary call, never raises it', async () => {
    const err = await net.requestBytes(`${base}/bytes`, { method: 'GET', maxBytes: 9 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetError);
    expect(err.kind).toBe('too_large');
    const big = await net.requestBytes(`${base}/big`, { method: 'GET', maxBytes: 10_000 }).catch((e) => e);
    expect(big.kind).toBe('too_large');
    expect((await net.requestBytes(`${base}/bytes`, { method: 'GET', maxBytes: 10 })).body.byteLength).toBe(10);
  });
});
