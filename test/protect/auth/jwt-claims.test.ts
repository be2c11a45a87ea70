// JwtVerifier claim checks not covered by the attack suite: typ, maximum token age, required claims,
// clock tolerance bounds, the subject claim, and the cache lifetime it reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { AuthJwtScheme } from '../../../src/core/config/sections/auth.js';
import { JwtVerifier } from '../../../src/protect/auth/jwt.js';
import { importSecret } from '../../../src/protect/auth/key-import.js';
import { now } from './helpers.js';

const SECRET = 'c'.repeat(32);
const key = new TextEncoder().encode(SECRET);

function verifier(extra: Partial<AuthJwtScheme> = {}): JwtVerifier {
  const scheme: AuthJwtScheme = { type: 'jwt', algorithms: ['HS256'], ...extra };
  return new JwtVerifier('bearer', scheme, {
    statics: [importSecret(SECRET, ['HS256'], false, 'test', undefined)],
    remote: undefined,
  });
}

const sign = (typ: string, claims: Record<string, unknown>, iat = now(), exp = now() + 600) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);

test('typ is checked where configured (RFC 9068 at+jwt)', async () => {
  const v = verifier({ typ: 'at+jwt' });
  assert.equal((await v.verify(await sign('at+jwt', { sub: 'a' }))).ok, true);
  assert.equal(
    (await v.verify(await sign('JWT', { sub: 'a' }))).ok,
    false,
    'an ID token is not an access token',
  );
});

test('maximum token age refuses old tokens and bounds how long a verification is reused', async () => {
  const v = verifier({ maxTokenAgeSeconds: 60 });
  assert.equal((await v.verify(await sign('JWT', { sub: 'a' }, now() - 600))).ok, false);
  const fresh = await v.verify(await sign('JWT', { sub: 'a' }, now(), now() + 3600));
  assert.ok(fresh.ok);
  assert.ok(
    fresh.value.expiresAt <= (now() + 61) * 1000,
    'reuse ends at iat + max age, before exp',
  );
});

test('exp and the subject are required; other required claims when configured', async () => {
  const v = verifier({ requiredClaims: ['jti'] });
  const noExp = await new SignJWT({ sub: 'a', jti: 'j' })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(key);
  assert.equal((await v.verify(noExp)).ok, false, 'a token without exp never expires: refused');
  assert.equal((await v.verify(await sign('JWT', { jti: 'j' }))).ok, false, 'no subject');
  assert.equal((await v.verify(await sign('JWT', { sub: 'a' }))).ok, false, 'no jti');
  assert.equal(
    (await v.verify(await sign('JWT', { sub: '', jti: 'j' }))).ok,
    false,
    'empty subject',
  );
  assert.equal((await v.verify(await sign('JWT', { sub: 'a', jti: 'j' }))).ok, true);
});

test('the clock tolerance admits small skew only', async () => {
  const v = verifier({ clockToleranceSeconds: 30 });
  assert.equal(
    (await v.verify(await sign('JWT', { sub: 'a' }, now() - 100, now() - 10))).ok,
    true,
    '10 s skew',
  );
  assert.equal(
    (await v.verify(await sign('JWT', { sub: 'a' }, now() - 100, now() - 60))).ok,
    false,
    '60 s late',
  );
});
