// A free loopback port, for the one listener whose port must be known before anything starts: the
// scanner's hostile upstream, which the lab is told about at start (`--classifier-url`). Every other
// process of the demo binds port 0 and reports the port it got in its ready line.
import { createServer } from 'node:net';

/**
 * Asks the kernel for an ephemeral port on 127.0.0.1 and releases it. Another process could take it
 * before the scanner binds it; the scanner then fails with BULWARK_ERR_SCAN_LISTENER, which the demo
 * reports as a failed step rather than a wrong result.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
