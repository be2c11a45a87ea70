// Upstream for the auth bench: a Document owned by OWNER for GET, the same with 201 for POST.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

export const OWNER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const body = JSON.stringify({
  id: '3f1c2a4e-8b7d-4c2e-9f1a-2b3c4d5e6f70',
  owner_id: OWNER,
  title: 'bench',
  content: 'x'.repeat(256),
  classification: null,
  created_at: '2026-11-28T12:00:00Z',
});
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      };
      if (req.method === 'POST')
        headers.location = '/api/v2/documents/3f1c2a4e-8b7d-4c2e-9f1a-2b3c4d5e6f70';
      res.writeHead(req.method === 'POST' ? 201 : 200, headers);
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
}
