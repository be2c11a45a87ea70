// The trivial upstream every case talks to: answers any request with a fixed Document, plus one
// undeclared property the full policy must strip (internal_notes).
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: '3f1c2a4e-8b7d-4c2e-9f1a-2b3c4d5e6f70',
  owner_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  title: 'bench',
  content: 'x'.repeat(256),
  classification: null,
  created_at: '2026-11-28T12:00:00Z',
  internal_notes: 'never leaves through the full policy',
});
const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(201, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      location: '/api/v2/documents/3f1c2a4e-8b7d-4c2e-9f1a-2b3c4d5e6f70',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
