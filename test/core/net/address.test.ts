import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../../src/core/errors.js';
import {
  assertSafeUrl,
  classifyAddress,
  isPublicAddress,
  parseIPv4Loose,
  pinnedLookup,
  resolvePublicAddresses,
  type LookupFn,
} from '../../../src/core/net/address.js';

const fakeDns =
  (table: Record<string, string[]>): LookupFn =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

test('classifies the internal IPv4 ranges an SSRF aims at', () => {
  const cases: Record<string, string> = {
    '127.0.0.1': 'loopback',
    '127.255.255.254': 'loopback',
    '10.0.0.1': 'private',
    '172.16.0.1': 'private',
    '172.31.255.255': 'private',
    '192.168.1.1': 'private',
    '100.64.0.1': 'private',
    '169.254.1.1': 'link-local',
    '169.254.169.254': 'metadata',
    '169.254.170.2': 'metadata',
    '100.100.100.200': 'metadata',
    '0.0.0.0': 'unspecified',
    '224.0.0.1': 'multicast',
    '255.255.255.255': 'reserved',
    '192.0.2.10': 'reserved',
    '198.18.0.1': 'reserved',
  };
  for (const [ip, cls] of Object.entries(cases)) assert.equal(classifyAddress(ip), cls, ip);
});

test('public addresses next to private ranges stay public', () => {
  for (const ip of [
    '172.32.0.1',
    '172.15.255.255',
    '8.8.8.8',
    '100.128.0.1',
    '11.0.0.1',
    '2606:4700::1111',
  ]) {
    assert.equal(classifyAddress(ip), 'public', ip);
    assert.equal(isPublicAddress(ip), true, ip);
  }
});

test('alternative IPv4 spellings of loopback are recognised (inet_aton forms)', () => {
  for (const ip of [
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '0x7f.1',
    '017700000001',
    '127.0.1',
  ]) {
    assert.equal(classifyAddress(ip), 'loopback', ip);
  }
  assert.equal(parseIPv4Loose('256.0.0.1'), undefined);
  assert.equal(parseIPv4Loose('1.2.3.4.5'), undefined);
  assert.equal(parseIPv4Loose('example.com'), undefined);
});

test('IPv6 loopback, link-local, ULA, metadata and IPv4-embedding forms are refused', () => {
  const cases: Record<string, string> = {
    '::1': 'loopback',
    '[::1]': 'loopback',
    '::': 'unspecified',
    '::ffff:127.0.0.1': 'loopback',
    '::ffff:7f00:1': 'loopback',
    '0:0:0:0:0:ffff:127.0.0.1': 'loopback',
    '::ffff:169.254.169.254': 'metadata',
    '::ffff:10.0.0.1': 'private',
    '::127.0.0.1': 'loopback',
    '64:ff9b::7f00:1': 'loopback',
    '64:ff9b::a00:1': 'private',
    '2002:7f00:1::': 'loopback',
    '2002:a9fe:a9fe::1': 'metadata',
    'fe80::1': 'link-local',
    'fe80::1%eth0': 'link-local',
    'fc00::1': 'unique-local',
    'fd12:3456::1': 'unique-local',
    'fd00:ec2::254': 'metadata',
    'ff02::1': 'multicast',
    '2001:db8::1': 'reserved',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2': 'reserved',
    '100::1': 'reserved',
  };
  for (const [ip, cls] of Object.entries(cases)) assert.equal(classifyAddress(ip), cls, ip);
});

test('a name that resolves to any internal address is refused, even next to a public one', async () => {
  const lookup = fakeDns({
    'rebind.test': ['93.184.216.34', '127.0.0.1'],
    'ok.test': ['93.184.216.34'],
  });
  await assert.rejects(resolvePublicAddresses('rebind.test', { lookup }), {
    code: 'BULWARK_ERR_URL_REFUSED',
  });
  assert.deepEqual(await resolvePublicAddresses('ok.test', { lookup }), ['93.184.216.34']);
});

test('assertSafeUrl refuses the classic SSRF vectors before any request', async () => {
  const lookup = fakeDns({ 'internal.test': ['10.1.2.3'], 'api.example.com': ['93.184.216.34'] });
  const refused = [
    'http://169.254.169.254/latest/meta-data/',
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://internal.test/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
    'ftp://api.example.com/',
    'http://api.example.com/',
    'https://user:pass@api.example.com/',
    'https://nosuchhost.test/',
    'not a url',
  ];
  for (const url of refused) {
    await assert.rejects(
      assertSafeUrl(url, { lookup }),
      (error: unknown) => error instanceof BulwarkError && error.code === 'BULWARK_ERR_URL_REFUSED',
      url,
    );
  }
  const ok = await assertSafeUrl('https://api.example.com/x', { lookup });
  assert.deepEqual(ok.addresses, ['93.184.216.34']);
  assert.equal(
    (await assertSafeUrl('http://api.example.com/', { lookup, allowHttp: true })).url.protocol,
    'http:',
  );
});

test('assertSafeUrl enforces a host allowlist with wildcards', async () => {
  const lookup = fakeDns({ 'a.example.com': ['93.184.216.34'], 'evil.com': ['93.184.216.35'] });
  const allowedHosts = ['*.example.com'];
  await assertSafeUrl('https://a.example.com/', { lookup, allowedHosts });
  await assert.rejects(assertSafeUrl('https://evil.com/', { lookup, allowedHosts }), {
    code: 'BULWARK_ERR_URL_REFUSED',
  });
  await assert.rejects(assertSafeUrl('https://example.com.evil.com/', { lookup, allowedHosts }));
});

test('refusal messages name the address class, never the address', async () => {
  await assert.rejects(assertSafeUrl('https://10.9.8.7/'), (error: unknown) => {
    assert.ok(error instanceof BulwarkError);
    assert.match(error.message, /private address/);
    assert.doesNotMatch(error.message, /10\.9\.8\.7/);
    return true;
  });
});

test('pinnedLookup answers only with the checked addresses', async () => {
  const lookup = pinnedLookup(['93.184.216.34']);
  const single = await new Promise<unknown[]>((resolve) =>
    lookup('x', {}, (...args) => resolve(args)),
  );
  assert.deepEqual(single, [null, '93.184.216.34', 4]);
  const all = await new Promise<unknown[]>((resolve) =>
    lookup('x', { all: true }, (...args) => resolve(args)),
  );
  assert.deepEqual(all, [null, [{ address: '93.184.216.34', family: 4 }]]);
});
