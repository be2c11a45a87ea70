// API2 broken authentication: forged alg:none tokens, expired tokens, the weak HS256 secret,
// unlimited login attempts and login answers that reveal which emails exist.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { secureTokens, vulnerableTokens } from '../../../src/lab/flaws/api2-authentication.js';
import { b64url, GENEROUS, labFor } from '../helpers.js';

const noneToken = (claims: Record<string, unknown>) =>
  `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;

function hs256(claims: Record<string, unknown>, secret: string): string {
  const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

test('vulnerable: alg:none and long-expired tokens are accepted, and the secret is a dictionary word', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const forged = noneToken({ sub: '3', role: 'admin' });
  const me = await lab.request('GET', '/api/v2/users/me', { token: forged });
  assert.equal(me.status, 200);
  assert.equal(me.json.email, 'admin@lab.test');

  const alice = await lab.alice();
  // Cracking the secret offline with a tiny wordlist, then minting an expired token with it.
  const [header, payload, signature] = alice.split('.');
  const secret = ['password', 'changeme', 'secret', 'letmein'].find(
    (word) =>
      createHmac('sha256', word).update(`${header}.${payload}`).digest('base64url') === signature,
  );
  assert.equal(secret, 'secret');
  const expired = hs256({ sub: '2', iat: 1, exp: 2, iss: 'bulwark-lab' }, secret);
  const asBob = await lab.request('GET', '/api/v2/users/me', { token: expired });
  assert.equal(asBob.status, 200);
  assert.equal(asBob.json.email, 'bob@lab.test');
});

test('secure: alg:none, stripped, HS256, tampered and foreign-key tokens all get 401', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  assert.equal(decodeProtectedHeader(alice).alg, 'EdDSA');
  const claims = decodeJwt(alice);
  assert.equal(claims.iss, 'bulwark-lab');
  assert.equal(claims.aud, 'bulwark-lab-api');
  assert.equal((claims.exp as number) - (claims.iat as number), 900, '15-minute tokens');
  const [header, payload, signature] = alice.split('.') as [string, string, string];
  const now = Math.floor(Date.now() / 1000);
  const foreign = await generateKeyPair('Ed25519');
  const forgeries = {
    none: noneToken({ ...claims }),
    noneUpper: `${b64url({ alg: 'NONE' })}.${payload}.`,
    strippedSignature: `${header}.${payload}.`,
    hs256: hs256({ ...claims }, 'secret'),
    tampered: `${header}.${b64url({ ...claims, sub: 'someone-else', role: 'admin' })}.${signature}`,
    expired: `${header}.${b64url({ ...claims, exp: now - 3600 })}.${signature}`,
    foreignKey: await new SignJWT({ ...claims })
      .setProtectedHeader(decodeProtectedHeader(alice) as { alg: string })
      .sign(foreign.privateKey),
  };
  for (const [name, token] of Object.entries(forgeries)) {
    const reply = await lab.request('GET', '/api/v2/users/me', { token });
    assert.equal(reply.status, 401, name);
    assert.equal(reply.json.code, 'unauthorized', name);
    assert.match(String(reply.headers['www-authenticate']), /^Bearer /, name);
  }
  const jwks = await lab.request('GET', '/.well-known/jwks.json');
  assert.equal(jwks.status, 200);
  assert.equal(jwks.json.keys[0].crv, 'Ed25519');
  assert.equal(jwks.json.keys[0].kid, decodeProtectedHeader(alice).kid);
  assert.equal(jwks.json.keys[0].d, undefined, 'no private part');
  assert.equal((await lab.request('GET', '/api/v2/users/me', { token: alice })).status, 200);
});

test('vulnerable: unlimited guesses, and the answer tells unknown emails from wrong passwords', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const unknown = await lab.request('POST', '/api/v2/auth/login', {
    body: { email: 'nobody@lab.test', password: 'x' },
  });
  const wrong = await lab.request('POST', '/api/v2/auth/login', {
    body: { email: 'alice@lab.test', password: 'x' },
  });
  assert.equal(unknown.status, 401);
  assert.equal(wrong.status, 401);
  assert.notEqual(unknown.json.detail, wrong.json.detail, 'the two failures differ');
  for (let i = 0; i < 12; i++) {
    const guess = await lab.request('POST', '/api/v2/auth/login', {
      body: { email: 'alice@lab.test', password: `guess-${i}` },
    });
    assert.equal(guess.status, 401, `guess ${i} is still evaluated`);
  }
  await lab.alice(); // the right password still works: no lockout, no throttle
});

test('secure: one generic answer, then 429 with Retry-After per account and per address', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const unknown = await lab.request('POST', '/api/v2/auth/login', {
    body: { email: 'nobody@lab.test', password: 'x' },
  });
  const wrong = await lab.request('POST', '/api/v2/auth/login', {
    body: { email: 'alice@lab.test', password: 'x' },
  });
  assert.equal(unknown.status, 401);
  assert.deepEqual(unknown.json, wrong.json, 'identical answers');
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const guess = await lab.request('POST', '/api/v2/auth/login', {
      body: { email: 'alice@lab.test', password: `guess-${i}` },
    });
    statuses.push(guess.status);
    if (guess.status === 429) {
      assert.match(String(guess.headers['retry-after']), /^[1-9][0-9]*$/);
      assert.equal(guess.json.code, 'login_throttled');
    }
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429], '5 failures per account');
  // Even the right password is refused while the account is throttled.
  const right = await lab.request('POST', '/api/v2/auth/login', {
    body: { email: 'alice@lab.test', password: 'alice-password-1' },
  });
  assert.equal(right.status, 429);
  // Spraying many accounts from one address hits the per-address limit.
  const spray: number[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await lab.request('POST', '/api/v2/auth/login', {
      body: { email: `user${i}@lab.test`, password: 'Winter2026!' },
    });
    spray.push(r.status);
  }
  // 6 failures from this address so far; failures 7 to 20 are evaluated, the 21st is throttled.
  assert.equal(spray.indexOf(429), 14, 'per-address throttle after 20 failures');
});

test('secure tokens stop working after 15 minutes; vulnerable ones never do', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const secure = await secureTokens(() => now);
  const user = { id: 'u1', role: 'user' } as Parameters<typeof secure.issue>[0];
  const { token, expiresIn } = await secure.issue(user);
  assert.equal(expiresIn, 900);
  assert.equal(await secure.verify(token), 'u1');
  now += 14 * 60 * 1000;
  assert.equal(await secure.verify(token), 'u1', 'valid at 14 minutes');
  now += 2 * 60 * 1000;
  assert.equal(await secure.verify(token), undefined, 'expired at 16 minutes');
  const vulnerable = vulnerableTokens();
  const old = await vulnerable.issue(user);
  const [h, , sig] = old.token.split('.');
  assert.equal(await vulnerable.verify(old.token), 'u1');
  const expiredClaims = b64url({ sub: 'u1', exp: 1 });
  assert.equal(
    await vulnerable.verify(`${h}.${expiredClaims}.${sig}`),
    undefined,
    'signature still checked for HS256',
  );
});
