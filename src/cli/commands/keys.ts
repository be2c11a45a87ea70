// `bulwark keys create|hash`: makes API keys for `bulwark protect` and the digests its config stores
// (protect.auth.schemes.<name>.apiKeys). The key is printed once and never written to the config;
// the pepper comes from an environment variable and the key to hash from stdin, never from argv,
// which shells keep in history and `ps` shows to every user (CWE-214).
import { randomBytes, scryptSync } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import { hmacDigest } from '../../protect/auth/api-keys.js';
import { stringOption, type Command, type CommandContext } from '../command.js';

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_PEPPER = 32;
// RFC 7914 §2 and OWASP Password Storage: N=2^15, r=8, p=1 (32 MiB, tens of milliseconds).
const SCRYPT = { N: 32_768, r: 8, p: 1 } as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Create API keys for bulwark protect and hash them for its config',
  usage: 'keys create --id ID [options] | keys hash --id ID [options] < key',
  allowPositionals: true,
  options: {
    id: {
      type: 'string',
      value: 'ID',
      description: 'key id (letters, digits, . _ -), the key prefix',
    },
    scrypt: { type: 'boolean', description: 'store an scrypt digest instead of hmac-sha256' },
    'pepper-env': {
      type: 'string',
      value: 'NAME',
      description: 'environment variable holding the hmac pepper (default BULWARK_API_KEY_PEPPER)',
    },
    subject: {
      type: 'string',
      value: 'SUB',
      description: 'identity the key stands for (default: the id)',
    },
    roles: { type: 'string', value: 'A,B', description: 'comma-separated roles' },
    scopes: { type: 'string', value: 'A,B', description: 'comma-separated scopes' },
    'not-before': { type: 'string', value: 'DATE', description: 'ISO 8601 start of validity' },
    expires: { type: 'string', value: 'DATE', description: 'ISO 8601 end of validity' },
  },
  details: [
    'create prints a new random key (256 bits) once, and the config entry with its digest.',
    'hash reads an existing key from stdin and prints the config entry.',
    'Rotation: create the new key with --not-before, give the old one --expires, deploy both.',
    '',
    'Examples:',
    '  BULWARK_API_KEY_PEPPER=... bulwark keys create --id ci-2026 --roles deployer',
    '  printf %s "$KEY" | bulwark keys hash --id ci-2026 --scrypt',
  ].join('\n'),
  run,
};

function usage(message: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_USAGE', message, {
    hint: 'usage: bulwark keys create --id ID | bulwark keys hash --id ID < key',
  });
}

function date(ctx: CommandContext, name: string): string | undefined {
  const v = stringOption(ctx, name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw usage(`--${name} is not a date`);
  return new Date(t).toISOString();
}

function list(ctx: CommandContext, name: string): string[] | undefined {
  const v = stringOption(ctx, name);
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

export function scryptDigest(key: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(key, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return `scrypt:${SCRYPT.N}:${SCRYPT.r}:${SCRYPT.p}:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

function digest(ctx: CommandContext, key: string): string {
  if (ctx.values['scrypt'] === true) return scryptDigest(key);
  const name = stringOption(ctx, 'pepper-env') ?? 'BULWARK_API_KEY_PEPPER';
  const pepper = ctx.env[name];
  if (pepper === undefined || pepper.length < MIN_PEPPER) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_ENV',
      `the pepper variable ${name} is unset or too short`,
      {
        hint: `set ${name} to a random secret of at least ${MIN_PEPPER} characters, or use --scrypt`,
      },
    );
  }
  return hmacDigest(pepper, key);
}

function entry(ctx: CommandContext, id: string, key: string): string {
  const lines = [`- id: ${id}`, `  digest: ${digest(ctx, key)}`];
  const subject = stringOption(ctx, 'subject');
  if (subject !== undefined) lines.push(`  subject: ${JSON.stringify(subject)}`);
  for (const name of ['roles', 'scopes'] as const) {
    const l = list(ctx, name);
    if (l) lines.push(`  ${name}: [${l.map((s) => JSON.stringify(s)).join(', ')}]`);
  }
  const nb = date(ctx, 'not-before');
  if (nb) lines.push(`  notBefore: ${nb}`);
  const ex = date(ctx, 'expires');
  if (ex) lines.push(`  expires: ${ex}`);
  return `${lines.join('\n')}\n`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    size += (c as Buffer).length;
    if (size > 4096) throw usage('the key on stdin is too long');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function run(ctx: CommandContext): Promise<number> {
  const [action, ...extra] = ctx.positionals;
  if ((action !== 'create' && action !== 'hash') || extra.length > 0)
    throw usage('give create or hash');
  const id = stringOption(ctx, 'id');
  if (id === undefined || !ID.test(id))
    throw usage('--id is required: letters, digits, . _ - (at most 64)');
  if (action === 'create') {
    const key = `${id}.${randomBytes(32).toString('base64url')}`;
    const config = entry(ctx, id, key);
    ctx.stdout.write(
      `# The key, shown once: give it to the client, do not store it in the config.\n`,
    );
    ctx.stdout.write(`key: ${key}\n`);
    ctx.stdout.write(`# Add to protect.auth.schemes.<scheme>.apiKeys:\n${config}`);
    return 0;
  }
  const key = await readStdin();
  if (key.length === 0) throw usage('hash reads the key from stdin; nothing was given');
  if (!key.startsWith(`${id}.`) && ctx.values['scrypt'] === true) {
    throw usage(`scrypt keys are found by their id prefix: the key must start with "${id}."`);
  }
  ctx.stdout.write(entry(ctx, id, key));
  return 0;
}
