// Minimal JWS compact-form handling (RFC 7515) for the scanner's token checks: decode, and forge
// tokens the way an attacker would. Verification is the target's job; we only build inputs.
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: string;
}

export function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: `${h}.${p}`, signature: s };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function encodeUnsigned(header: object, payload: object): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
}

const HMAC_HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

export function signHmac(
  header: Record<string, unknown>,
  payload: object,
  secret: string | Buffer,
): string {
  const alg =
    typeof header['alg'] === 'string' && HMAC_HASH[header['alg']] ? header['alg'] : 'HS256';
  const input = encodeUnsigned({ ...header, alg }, payload);
  const signature = createHmac(HMAC_HASH[alg] ?? 'sha256', secret)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/** True when `secret` produced the token's HMAC signature. */
export function hmacMatches(decoded: DecodedJwt, secret: string): boolean {
  const hash = HMAC_HASH[String(decoded.header['alg'])];
  if (!hash) return false;
  return (
    createHmac(hash, secret).update(decoded.signingInput).digest('base64url') === decoded.signature
  );
}

/** A token signed with a fresh RSA key the target cannot know (tests "signed by another key"). */
export function signWithForeignKey(header: Record<string, unknown>, payload: object): string {
  const alg = String(header['alg'] ?? '');
  if (HMAC_HASH[alg]) return signHmac(header, payload, `bulwark-foreign-${Math.random()}`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = encodeUnsigned({ ...header, alg: 'RS256' }, payload);
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/**
 * Common JWT HMAC secrets, checked offline against a captured token (CWE-521, CWE-798). The target
 * never sees a guess: only a cracked secret leads to a forged request, which is the proof.
 */
export const WEAK_SECRETS: readonly string[] = [
  'secret',
  'password',
  'changeme',
  'change-me',
  'jwt',
  'jwtsecret',
  'jwt_secret',
  'jwt-secret',
  'secretkey',
  'secret_key',
  'secret-key',
  'mysecret',
  'my_secret',
  'mysecretkey',
  'supersecret',
  'super-secret',
  'topsecret',
  'key',
  'private',
  'default',
  'admin',
  'administrator',
  'test',
  'testing',
  'dev',
  'development',
  'qwerty',
  '123456',
  '12345678',
  'letmein',
  'welcome',
  'monkey',
  'dragon',
  'shadow',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'master',
  'hello',
  'abc123',
  'passw0rd',
  'password1',
  'token',
  'auth',
  'authentication',
  'api',
  'apikey',
  'app',
  'application',
  'server',
  'node',
  'express',
  'keyboard',
  'keyboard cat',
  'shhhhh',
  'shhhhhhared-secret',
  'your-256-bit-secret',
  'your_jwt_secret',
  'your-secret-key',
  'gfg_jwt_secret_key',
  'hardcoded',
  'insecure',
  'notsecret',
  'example',
  'sample',
  'demo',
  'lab',
  'bulwark',
  'security',
  'access',
  'login',
  'user',
  'root',
  'guest',
  'sesame',
  'opensesame',
  'trustno1',
  'iloveyou',
  'starwars',
  'whatever',
  'freedom',
  'secret123',
  'secret1',
  's3cr3t',
  'p@ssw0rd',
  'hunter2',
  'correcthorsebatterystaple',
  'banana',
  'apple',
  'orange',
  'pineapple',
  'coffee',
  'cookie',
  'tiger',
  'summer',
  'winter',
  'spring',
  'autumn',
  'galaxy',
  'rainbow',
  'unicorn',
  'butterfly',
  'chocolate',
  'elephant',
];
