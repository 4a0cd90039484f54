/**
 * A small keep-alive HTTP client for the workloads: one socket per request in flight, a time
 * limit per request, loopback addresses only (the benchmark never talks to another machine).
 */
import http from 'node:http';
import { FoyerError } from '../src/core/errors.js';

export interface BenchResponse {
  status: number;
  text: string;
}

export interface BenchClient {
  request(method: string, path: string, body?: string): Promise<BenchResponse>;
  /** The parsed JSON body of a request that must answer `expected`; throws otherwise. */
  json<T>(method: string, path: string, body: string | undefined, expected: number): Promise<T>;
  close(): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function createBenchClient(options: {
  baseUrl: string;
  token: string;
  concurrency: number;
  timeoutMs: number;
}): BenchClient {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'http:' || !LOOPBACK.has(base.hostname)) {
    throw new FoyerError('bad_request', `The benchmark talks to loopback addresses only, not ${base.origin}.`);
  }
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.concurrency,
    maxFreeSockets: options.concurrency,
  });
  const authorization = `Bearer ${options.token}`;

  function request(method: string, path: string, body?: string): Promise<BenchResponse> {
    const headers: http.OutgoingHttpHeaders = { authorization, accept: 'application/json' };
    const payload = body === undefined ? undefined : Buffer.from(body);
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(path, base), { method, headers, agent, timeout: options.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () =>
        req.destroy(new FoyerError('unavailable', `${method} ${path}: no answer within ${options.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  return {
    request,
    async json<T>(method: string, path: string, body: string | undefined, expected: number): Promise<T> {
      const res = await request(method, path, body);
      if (res.status !== expected) {
        throw new FoyerError(
          'internal',
          `${method} ${path}: HTTP ${res.status} (expected ${expected}): ${res.text.slice(0, 300)}`,
        );
      }
      return JSON.parse(res.text) as T;
    },
    close: () => agent.destroy(),
  };
}
