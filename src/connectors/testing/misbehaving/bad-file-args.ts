/** Calls `ctx.file` with bad arguments, logging each refusal, then with a URL that is none. */
import type { ConnectorContext, FileRequest } from '../../sdk.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  const url = `${ctx.api}/files/F-001.pdf`;
  const tries: FileRequest[] = [
    { key: '', url, name: 'a.pdf' },
    { key: 'k', url, name: 'a/b.pdf' },
    { key: 'k', url, name: 'a.pdf', contentType: 'nonsense' },
    { key: 'k', url, name: 'a.pdf', folder: 'relative/folder' },
  ];
  for (const request of tries) {
    try {
      await ctx.file(request);
      ctx.log('accepted');
    } catch (e) {
      ctx.log(`${(e as { code?: string }).code}: ${(e as Error).message}`);
    }
  }
  await ctx.file({ key: 'k', url: 'not a url', name: 'a.pdf' });
}
