// Peer: @fastify/http-proxy with no policy, logger off (its default), undici to the upstream.
import Fastify from 'fastify';
import proxy from '@fastify/http-proxy';

const upstream = process.argv[2];
const app = Fastify({ logger: false });
await app.register(proxy, { upstream, http2: false });
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`ready ${app.server.address().port}`);
