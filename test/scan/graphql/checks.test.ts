// The graphql-* scan checks against the lab's /graphql: every GraphQL flaw of `vulnerable` is found
// with its proof, and `secure` gives none of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLab } from '../../../src/lab/index.js';
import { graphqlModel } from '../../../src/scan/graphql/model.js';
import { scanApi } from '../../../src/scan/index.js';
import { runCli } from '../../helpers/cli.js';

const GRAPHQL_IDS = [
  'scan:api1:graphql-bola',
  'scan:api2:graphql-batch-login',
  'scan:api3:graphql-sensitive-fields',
  'scan:api4:graphql-limits',
  'scan:api7:graphql-ssrf',
  'scan:api8:graphql-introspection',
  'scan:api8:graphql-suggestions',
  'scan:api8:graphql-verbose-errors',
];

/** A token from the REST login (the secure lab's /graphql needs one, even to log in). */
async function token(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function identities(url: string) {
  const header = (t: string) => ({ header: { name: 'Authorization', value: `Bearer ${t}` } });
  return {
    alice: { role: 'user', auth: header(await token(url, 'alice@lab.test', 'alice-password-1')) },
    bob: { role: 'user', auth: header(await token(url, 'bob@lab.test', 'bob-password-1')) },
  };
}

async function scan(variant: 'vulnerable' | 'secure') {
  const lab = await startLab({ variant });
  try {
    const endpoint = new URL('/graphql', lab.url);
    const result = await scanApi({
      model: graphqlModel(endpoint),
      config: {
        identities: await identities(lab.url),
        rate: { requestsPerSecond: 500, concurrency: 4 },
      } as never,
      flags: { target: endpoint.origin, intrusive: true },
    });
    return result.findings.filter((f) => f.id.includes('graphql'));
  } finally {
    await lab.close();
  }
}

test('vulnerable lab: every GraphQL check proves its flaw', async () => {
  const findings = await scan('vulnerable');
  const ids = new Set(findings.map((f) => f.id));
  for (const id of GRAPHQL_IDS)
    assert.ok(ids.has(id), `${id} missing; found ${[...ids].join(', ')}`);
  const limits = findings.filter((f) => f.id === 'scan:api4:graphql-limits').map((f) => f.message);
  for (const word of ['alias', 'batch', 'depth', '10000']) {
    assert.ok(
      limits.some((m) => m.includes(word)),
      `limits: ${word} in ${limits.join(' | ')}`,
    );
  }
  for (const f of findings)
    assert.ok((f.evidence?.exchanges?.length ?? 0) > 0, `${f.id} has proof`);
});

test('secure lab: no GraphQL finding', async () => {
  const findings = await scan('secure');
  assert.deepEqual(
    findings.map((f) => `${f.id}: ${f.message}`),
    [],
  );
});

test('bulwark scan --graphql URL runs the checks without a spec', async (t) => {
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const out = await runCli(['scan', '--graphql', `${lab.url}/graphql`, '--format', 'json']);
  const report = JSON.parse(out.stdout) as { findings: { id: string }[] };
  const ids = new Set(report.findings.map((f) => f.id));
  assert.ok(ids.has('scan:api8:graphql-introspection'), out.stderr);
  assert.ok(ids.has('scan:api8:graphql-suggestions'));
});
