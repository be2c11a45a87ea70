// API7 SSRF: the import fetches internal addresses for the attacker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, hostileFor, labFor } from '../helpers.js';

test('vulnerable: import reads a loopback-only service, following a redirect to it', async (t) => {
  const internal = await hostileFor(t, (req, res) => {
    if (req.url === '/hop') res.writeHead(302, { location: '/latest/meta-data/iam' }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('AKIA-INTERNAL-CREDENTIALS');
  });
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  const direct = await lab.request('POST', '/api/v2/documents/import', {
    token: alice,
    body: { url: `${internal.url}/admin` },
  });
  assert.equal(direct.status, 201);
  assert.equal(direct.json.content, 'AKIA-INTERNAL-CREDENTIALS');
  const viaRedirect = await lab.request('POST', '/api/v2/documents/import', {
    token: alice,
    body: { url: `${internal.url}/hop` },
  });
  assert.equal(viaRedirect.status, 201);
  assert.equal(viaRedirect.json.content, 'AKIA-INTERNAL-CREDENTIALS');
  assert.deepEqual(
    internal.hits.map((h) => h.url),
    ['/admin', '/hop', '/latest/meta-data/iam'],
  );
});

test('secure: internal, mapped, encoded and non-http URLs are 400 and never fetched', async (t) => {
  const internal = await hostileFor(t, (_req, res) => res.writeHead(200).end('secret'));
  const port = new URL(internal.url).port;
  // http is allowed here so that every refusal below is about the address, not the scheme.
  const lab = await labFor(t, {
    variant: 'secure',
    allowHttpImport: true,
    limits: GENEROUS,
    importLookup: async (host) => {
      if (host === 'internal.example.test') return [{ address: '127.0.0.1', family: 4 }];
      if (host === 'mixed.example.test') {
        return [
          { address: '93.184.215.14', family: 4 },
          { address: '10.1.2.3', family: 4 },
        ];
      }
      throw new Error('ENOTFOUND');
    },
  });
  const alice = await lab.alice();
  const refused = [
    `http://127.0.0.1:${port}/`,
    `http://localhost:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f.1:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://internal.example.test:${port}/`,
    'http://mixed.example.test/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://[fd12:3456::1]/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
    `file:///etc/passwd`,
    `gopher://127.0.0.1:${port}/_GET`,
    'ftp://example.com/file.txt',
    'data:text/plain,hello',
    'https://user:pass@example.com/',
  ];
  for (const url of refused) {
    const reply = await lab.request('POST', '/api/v2/documents/import', {
      token: alice,
      body: { url },
    });
    assert.equal(reply.status, 400, url);
    assert.equal(reply.json.code, 'url_refused', url);
    assert.doesNotMatch(reply.text, /127\.0\.0\.1|10\.1\.2\.3/, `${url}: no address in the answer`);
  }
  assert.equal(internal.hits.length, 0, 'no request reached the internal server');
  assert.equal((await lab.documents(alice)).length, 3, 'nothing was stored');
});

test('secure: https only by default', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  const reply = await lab.request('POST', '/api/v2/documents/import', {
    token: alice,
    body: { url: 'http://example.com/' },
  });
  assert.equal(reply.status, 400);
  assert.match(reply.json.detail, /scheme 'http' is not allowed/);
});

test('secure fetch (address check opened to loopback for the test): no redirects, size cap, timeout, text only', async (t) => {
  const upstream = await hostileFor(t, (req, res) => {
    if (req.url === '/doc')
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('héllo ✓');
    else if (req.url === '/hop') res.writeHead(302, { location: '/doc' }).end();
    else if (req.url === '/big')
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(300_000));
    else if (req.url === '/binary')
      res.writeHead(200, { 'content-type': 'image/png' }).end('\x89PNG');
    else if (req.url === '/nul') res.writeHead(200, { 'content-type': 'text/plain' }).end('a\0b');
    else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 1500).unref();
    else res.writeHead(500).end();
  });
  const lab = await labFor(t, {
    variant: 'secure',
    allowHttpImport: true,
    importAllowClasses: ['loopback'],
    // Only this lookup knows the name; the system resolver would fail. An import that succeeds
    // therefore connected to the checked address, not to a second DNS answer (no rebinding).
    importLookup: async (host) => {
      if (host === 'pinned.example.test') return [{ address: '127.0.0.1', family: 4 }];
      throw new Error('ENOTFOUND');
    },
    limits: { ...GENEROUS, importTimeoutMs: 300 },
  });
  const alice = await lab.alice();
  const imp = (path: string) =>
    lab.request('POST', '/api/v2/documents/import', {
      token: alice,
      body: { url: `${upstream.url}${path}` },
    });
  const ok = await imp('/doc');
  assert.equal(ok.status, 201);
  assert.equal(ok.json.content, 'héllo ✓');
  const pinned = await lab.request('POST', '/api/v2/documents/import', {
    token: alice,
    body: { url: `http://pinned.example.test:${new URL(upstream.url).port}/doc` },
  });
  assert.equal(pinned.status, 201, 'connected to the checked address');
  assert.equal(upstream.hosts.at(-1), `pinned.example.test:${new URL(upstream.url).port}`);
  for (const path of ['/hop', '/big', '/binary', '/nul', '/slow', '/error']) {
    const reply = await imp(path);
    assert.equal(reply.status, 502, path);
    assert.equal(reply.json.code, 'import_failed', path);
  }
  assert.deepEqual(
    upstream.hits.map((h) => h.url),
    ['/doc', '/doc', '/hop', '/big', '/binary', '/nul', '/slow', '/error'],
    'the redirect target was never requested',
  );
  assert.equal((await lab.documents(alice)).length, 5, 'only the good imports were stored');
});
