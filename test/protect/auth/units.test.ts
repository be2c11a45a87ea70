// Unit checks of the verified-token cache, the JWT pre-checks and RFC 8705 certificate binding.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { test } from 'node:test';
import { precheck } from '../../../src/protect/auth/jwt.js';
import { boundToCertificate, certificateSubject } from '../../../src/protect/auth/mtls.js';
import { TokenCache } from '../../../src/protect/auth/token-cache.js';
import type { Verified } from '../../../src/protect/auth/types.js';
import { rawJwt } from './helpers.js';

const verified = (expiresAt: number, kid?: string): Verified => ({
  identity: { subject: 'a', scheme: 's', roles: [], scopes: [], scoped: false, claims: {} },
  expiresAt,
  kid,
});

test('the token cache is bounded, expires entries at exp or maxMs, and drops rotated kids', () => {
  const cache = new TokenCache(2, 60_000);
  const t0 = 1_000_000;
  cache.set('a', verified(t0 + 10_000, 'k1'), t0);
  cache.set('b', verified(t0 + 120_000, 'k2'), t0);
  cache.set('c', verified(t0 + 10_000, 'k1'), t0);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('a', t0), undefined, 'oldest evicted');
  assert.ok(cache.get('b', t0 + 59_000));
  assert.equal(cache.get('b', t0 + 60_000), undefined, 'capped by maxMs even though exp is later');
  assert.equal(cache.get('c', t0 + 10_000), undefined, 'gone at exp');
  cache.set('d', verified(t0 + 50_000, 'k9'), t0);
  cache.dropKids(['k9']);
  assert.equal(cache.get('d', t0), undefined);
  cache.set('e', verified(t0 - 1), t0);
  assert.equal(cache.get('e', t0), undefined, 'an already expired verification is never stored');
  assert.equal(new TokenCache(0, 1000).size, 0);
});

test('the cache key is a hash: the token itself is not kept', () => {
  const k = TokenCache.key('header.payload.signature');
  assert.equal(k, createHash('sha256').update('header.payload.signature').digest('base64url'));
});

test('precheck refuses hostile headers before any crypto', () => {
  const c = { sub: 'x' };
  assert.match(String((precheck('a.b', ['HS256']) as { reason: string }).reason), /compact/);
  assert.match(
    String((precheck(rawJwt({ alg: 'HS256' }, c, ''), ['HS256']) as { reason: string }).reason),
    /empty/,
  );
  assert.match(
    String((precheck(rawJwt({ alg: 'RS256' }, c, 'AA'), ['HS256']) as { reason: string }).reason),
    /algorithm/,
  );
  assert.match(
    String(
      (precheck(rawJwt({ alg: 'HS256', x5c: ['MII'] }, c, 'AA'), ['HS256']) as { reason: string })
        .reason,
    ),
    /x5c/,
  );
  assert.match(
    String(
      (precheck(rawJwt({ alg: 'HS256', kid: 7 }, c, 'AA'), ['HS256']) as { reason: string }).reason,
    ),
    /kid/,
  );
  assert.match(
    String((precheck(rawJwt('[1]', c, 'AA'), ['HS256']) as { reason: string }).reason),
    /header/,
  );
  assert.match(
    String((precheck(`${'a'.repeat(9000)}.b.c`, ['HS256']) as { reason: string }).reason),
    /too large/,
  );
  const zeroR = Buffer.concat([Buffer.alloc(32), Buffer.alloc(32, 1)]).toString('base64url');
  assert.match(
    String((precheck(rawJwt({ alg: 'ES256' }, c, zeroR), ['ES256']) as { reason: string }).reason),
    /ECDSA/,
  );
  assert.ok('header' in precheck(rawJwt({ alg: 'HS256', kid: 'k-1.v2' }, c, 'AA'), ['HS256']));
});

test('RFC 8705: a bound token must match the presented certificate thumbprint', () => {
  const raw = Buffer.from('certificate-der-bytes');
  const cert = {
    raw,
    subject: { CN: 'svc-a' },
    subjectaltname: 'DNS:svc-a.internal, email:a@x.test',
  } as unknown as PeerCertificate;
  const x5t = createHash('sha256').update(raw).digest('base64url');
  assert.equal(boundToCertificate({ cnf: { 'x5t#S256': x5t } }, cert), true);
  assert.equal(
    boundToCertificate({ cnf: { 'x5t#S256': x5t } }, undefined),
    false,
    'no certificate',
  );
  const other = { ...cert, raw: Buffer.from('another') } as unknown as PeerCertificate;
  assert.equal(
    boundToCertificate({ cnf: { 'x5t#S256': x5t } }, other),
    false,
    'stolen token, other cert',
  );
  assert.equal(boundToCertificate({}, cert), false, 'unbound token where binding is required');
  assert.equal(certificateSubject(cert, 'cn'), 'svc-a');
  assert.equal(certificateSubject(cert, 'san-dns'), 'svc-a.internal');
  assert.equal(certificateSubject(cert, 'san-email'), 'a@x.test');
  assert.equal(certificateSubject(cert, 'san-uri'), undefined);
});
