// A free loopback port for servers that must be told a port before they start (the lab's
// --classifier-url must name the scanner's hostile upstream). Bound and released at once; the tiny
// window in which another process could take it is acceptable in tests.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
