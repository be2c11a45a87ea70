// The lab's own benign classifier, started on loopback unless --classifier-url names another one.
// It answers `POST /` with `{"text": ...}` by `{label, score}` from a few keywords: good enough to
// make classification visible, and a well-behaved baseline for the hostile classifiers in tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_BYTES = 1024 * 1024;

export function labelFor(text: string): { label: string; score: number } {
  if (/\b(confidential|secret|password|salary|merger)\b/i.test(text)) {
    return { label: 'confidential', score: 0.9 };
  }
  if (/\binternal\b/i.test(text)) return { label: 'internal', score: 0.8 };
  return { label: 'public', score: 0.6 };
}

export interface RunningClassifier {
  readonly url: string;
  close(): Promise<void>;
}

export async function startClassifier(host: string): Promise<RunningClassifier> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      let text = '';
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown };
        text = typeof body.text === 'string' ? body.text : '';
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (req.method !== 'POST' || size > MAX_BYTES) {
        res.writeHead(400).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(labelFor(text)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${formatHost(host)}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Brackets IPv6 literals for use in a URL. */
export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
