// Acceptance against the lab (issue 7): with examples/lab/scan.yaml, an --intrusive scan of the
// vulnerable lab reports each of the ten flaws under its own OWASP category with evidence that
// reproduces; the secure lab yields nothing at medium or above. Real HTTP over loopback, real SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/core/config/index.js';
import { atLeast, OWASP_CATEGORIES, type Finding } from '../../src/core/finding.js';
import { loadSpec } from '../../src/core/openapi/load.js';
import type { ApiModel } from '../../src/core/openapi/model.js';
import { startLab, type RunningLab, type Variant } from '../../src/lab/index.js';
import { scanApi, type ScanResult } from '../../src/scan/index.js';
import { freePort } from './helpers/ports.js';

const SPEC = new URL('../../examples/lab/openapi.yaml', import.meta.url).pathname;
const CONFIG = new URL('../../examples/lab/scan.yaml', import.meta.url).pathname;

/** The check that must prove each lab flaw (docs/lab.md numbering = OWASP category). */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'API1:2023': ['scan:api1:bola-read', 'scan:api1:bola-write', 'scan:api1:bola-delete'],
  'API2:2023': [
    'scan:api2:jwt-forgery',
    'scan:api2:login-attempt-limit',
    'scan:api2:login-enumeration',
  ],
  'API3:2023': ['scan:api3:sensitive-data', 'scan:api3:mass-assignment'],
  'API4:2023': [
    'scan:api4:unbounded-page-size',
    'scan:api4:oversized-body',
    'scan:api4:no-rate-limit',
  ],
  'API5:2023': ['scan:api5:bfla'],
  'API6:2023': ['scan:api6:unthrottled-flow'],
  'API7:2023': ['scan:api7:ssrf'],
  'API8:2023': ['scan:api8:cors-any-origin', 'scan:api8:verbose-errors'],
  'API9:2023': ['scan:api9:old-version', 'scan:api9:debug-endpoint'],
  'API10:2023': ['scan:api10:unsafe-consumption'],
};

async function scanLab(
  variant: Variant,
  model: ApiModel,
): Promise<{ lab: RunningLab; result: ScanResult }> {
  const hostilePort = await freePort();
  const lab = await startLab({
    variant,
    port: 0,
    classifierUrl: `http://127.0.0.1:${hostilePort}/`,
  });
  const config = loadConfig(CONFIG, { sections: ['scan'] });
  const result = await scanApi({
    model,
    ...(config.scan ? { config: config.scan } : {}),
    flags: { target: lab.url, intrusive: true },
    overrides: { hostilePort },
  });
  return { lab, result };
}

async function login(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Replays a finding's proof request as recorded, putting a fresh token where the secret was redacted. */
async function replay(finding: Finding, token?: string): Promise<Response> {
  const exchange = finding.evidence?.exchanges?.at(-1);
  assert.ok(exchange, `${finding.id} carries its exchange`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.request.headers)) {
    if (name === 'authorization') {
      if (token) headers[name] = `Bearer ${token}`;
    } else if (name !== 'content-length') headers[name] = value;
  }
  return fetch(exchange.request.url, {
    method: exchange.request.method,
    headers,
    ...(exchange.request.body === undefined ? {} : { body: exchange.request.body }),
    redirect: 'manual',
  });
}

describe('scan of the vulnerable lab', () => {
  let lab: RunningLab;
  let result: ScanResult;
  before(async () => {
    const model = await loadSpec(SPEC);
    ({ lab, result } = await scanLab('vulnerable', model));
  });
  after(() => lab.close());

  test('reports each of the ten flaws under its own OWASP category, at medium or above', () => {
    assert.equal(result.partial, false);
    for (const category of OWASP_CATEGORIES) {
      const found = result.findings.filter(
        (f) => f.owasp === category && atLeast(f.severity, 'medium'),
      );
      const ids = new Set(found.map((f) => f.id));
      for (const id of EXPECTED[category] ?? []) {
        assert.ok(
          ids.has(id),
          `${category}: expected ${id}, got ${[...ids].join(', ') || 'nothing'}`,
        );
      }
    }
  });

  test('every finding carries redacted exchanges and a curl reproduction', () => {
    for (const finding of result.findings) {
      assert.ok(finding.evidence?.exchanges?.length, `${finding.id} has exchanges`);
      assert.match(
        finding.evidence?.curl ?? '',
        /^(printf .* \| )?curl /,
        `${finding.id} has curl`,
      );
      const text = JSON.stringify(finding.evidence);
      assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\.eyJ/, `${finding.id} leaks no JWT`);
      assert.doesNotMatch(
        text,
        /alice-password-1|bob-password-1|admin-password-1/,
        `${finding.id} leaks no password`,
      );
    }
  });

  test('the evidence reproduces: replayed requests get the same answers', async () => {
    const byId = (id: string): Finding => {
      const f = result.findings.find((x) => x.id === id);
      assert.ok(f, id);
      return f;
    };
    const bob = await login(lab.url, 'bob@lab.test', 'bob-password-1');
    const bola = byId('scan:api1:bola-read');
    assert.equal((await replay(bola, bob)).status, 200, "bob still reads alice's document");
    const v1 = byId('scan:api9:old-version');
    assert.equal((await replay(v1)).status, 200, 'v1 answers without a token');
    const stack = byId('scan:api8:verbose-errors');
    const alice = await login(lab.url, 'alice@lab.test', 'alice-password-1');
    assert.equal((await replay(stack, alice)).status, 500);
    const admin = byId('scan:api5:bfla');
    assert.equal((await replay(admin, alice)).status, 200, 'alice lists every user');
  });
});

describe('scan of the secure lab', () => {
  let lab: RunningLab;
  let result: ScanResult;
  before(async () => {
    const model = await loadSpec(SPEC);
    ({ lab, result } = await scanLab('secure', model));
  });
  after(() => lab.close());

  test('reports no finding of medium severity or above', () => {
    const serious = result.findings.filter((f) => atLeast(f.severity, 'medium'));
    assert.deepEqual(
      serious.map((f) => `${f.id} ${f.location.operation ?? ''}: ${f.message}`),
      [],
    );
    assert.equal(result.partial, false);
    assert.ok(result.checksRun.length >= 25, 'every check ran');
  });
});
