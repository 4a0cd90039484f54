/**
 * Server-sent events for long requests (imports, connector runs): `work` sends events as it goes;
 * what it answers is the last event, `done`, and its error an `error` event. When the client
 * leaves, the work goes on to its end (it is all or nothing).
 */
import { FoyerError, isFoyerError } from '../core/errors.js';
import { respond } from './respond.js';

export function eventStream(
  work: (send: (event: string, data: unknown) => void) => Promise<unknown>,
  failure: string,
): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          // The client went away.
        }
      };
      try {
        send('done', await work(send));
      } catch (e) {
        const error = isFoyerError(e) ? e : new FoyerError('internal', failure);
        send('error', { code: error.code, message: error.message, details: error.details });
      } finally {
        try {
          controller.close();
        } catch {
          // already closed by a client that left
        }
      }
    },
  });
  return respond(stream, 200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
}
