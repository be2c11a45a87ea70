// Secret detection for example values: known key formats first (high confidence), then Shannon
// entropy for values under credential-like keys. Placeholders ("your-api-key", "xxxx", "<token>")
// are skipped, because documentation is full of them.

interface KnownPattern {
  readonly name: string;
  readonly pattern: RegExp;
}

export const KNOWN_SECRET_PATTERNS: readonly KnownPattern[] = [
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'Stripe live secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{16,}\b/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'SendGrid API key', pattern: /\bSG\.[\w-]{22}\.[\w-]{43}\b/ },
  { name: 'Twilio API key', pattern: /\bSK[0-9a-f]{32}\b/ },
  {
    name: 'private key',
    pattern: /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/,
  },
  {
    name: 'JSON Web Token',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}\b/,
  },
];

// Every known pattern needs one of these literals: one search rules them all out for most strings
// (a corpus holds hundreds of thousands of example strings). A test keeps it in step with the list.
export const KNOWN_SECRET_HINT =
  /AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|[sr]k_live_|AIza|SG\.|SK[0-9a-f]{32}|PRIVATE KEY-----|eyJ/;

const CREDENTIAL_KEY =
  /(secret|token|password|passwd|api[-_]?key|apikey|access[-_]?key|private[-_]?key|authorization|credential|signature)/i;
const NOT_CREDENTIAL_KEY =
  /(page|next|continuation|sync|cursor|type|expires|count|url|uri|name|id)$/i;
const PLACEHOLDER =
  /(example|sample|dummy|placeholder|changeme|your[-_ ]?|redacted|x{4,}|\*{3,}|<[^>]*>|\{\{|\.\.\.|test|fake|abc|1234|0000)/i;

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export interface SecretHit {
  readonly kind: string;
  readonly confidence: 'firm' | 'tentative';
}

/** Classifies a string example value found under `key` (the property name, when known). */
export function detectSecret(value: string, key: string | undefined): SecretHit | undefined {
  if (value.length < 16 || value.length > 10_000) return undefined;
  for (const known of KNOWN_SECRET_HINT.test(value) ? KNOWN_SECRET_PATTERNS : []) {
    if (known.pattern.test(value) && !/(example|sample|dummy|your)/i.test(value)) {
      return {
        kind: known.name,
        confidence: known.name === 'JSON Web Token' ? 'tentative' : 'firm',
      };
    }
  }
  if (key === undefined || !CREDENTIAL_KEY.test(key) || NOT_CREDENTIAL_KEY.test(key))
    return undefined;
  if (/\s/.test(value) || PLACEHOLDER.test(value)) return undefined;
  // Random 20+ character tokens have ~4+ bits/char; English words and ids stay well below 3.5.
  if (value.length >= 20 && shannonEntropy(value) >= 3.5) {
    return { kind: `high-entropy value under '${key}'`, confidence: 'tentative' };
  }
  return undefined;
}
