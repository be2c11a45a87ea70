import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KNOWN_SECRET_HINT,
  KNOWN_SECRET_PATTERNS,
  detectSecret,
} from '../../../src/audit/util/secrets.js';

// One value per known pattern, in the list's order.
const SAMPLES: Readonly<Record<string, string>> = {
  'AWS access key id': `AKIA${'Q'.repeat(16)}`,
  'GitHub token': `ghp_${'a'.repeat(36)}`,
  'GitHub fine-grained token': `github_pat_${'a'.repeat(40)}`,
  'Slack token': 'xoxb-1234567890ab',
  'Stripe live secret key': `sk_live_${'a'.repeat(16)}`,
  'Google API key': `AIza${'a'.repeat(35)}`,
  'SendGrid API key': `SG.${'a'.repeat(22)}.${'b'.repeat(43)}`,
  'Twilio API key': `SK${'a'.repeat(32)}`,
  'private key': '-----BEGIN RSA PRIVATE KEY-----',
  'JSON Web Token': `eyJ${'a'.repeat(8)}.eyJ${'b'.repeat(8)}.${'c'.repeat(16)}`,
};

test('the pre-filter lets every known secret format through (it must stay in step with the list)', () => {
  assert.deepEqual(
    KNOWN_SECRET_PATTERNS.map((p) => p.name),
    Object.keys(SAMPLES),
    'every pattern has a sample here',
  );
  for (const { name, pattern } of KNOWN_SECRET_PATTERNS) {
    const sample = `value ${SAMPLES[name] as string} end`;
    assert.match(sample, pattern, name);
    assert.match(sample, KNOWN_SECRET_HINT, `${name}: the pre-filter would skip it`);
    assert.equal(detectSecret(sample, undefined)?.kind, name);
  }
});

test('strings without any known literal are not secrets unless under a credential key', () => {
  const random = 'q8Zr2LmX9vTc4NwK7pYs';
  assert.doesNotMatch(random, KNOWN_SECRET_HINT);
  assert.equal(detectSecret(random, undefined), undefined);
  assert.equal(detectSecret(random, 'description'), undefined);
  assert.equal(detectSecret(random, 'api_key')?.confidence, 'tentative');
});
