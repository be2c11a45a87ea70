// API10: a hostile classifier (schema-violating, redirecting, oversized and slow replies).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, hostileFor, labFor, type Hostile, type LabClient } from '../helpers.js';
import type { ServerResponse } from 'node:http';
import type { TestContext } from 'node:test';

type Mode = 'benign' | 'xss' | 'types' | 'redirect' | 'big' | 'slow' | 'not-json' | 'error';

async function hostileClassifier(t: TestContext): Promise<Hostile & { state: { mode: Mode } }> {
  const state = { mode: 'benign' as Mode };
  const json = (res: ServerResponse, value: unknown) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  const server = await hostileFor(t, (req, res) => {
    if (req.url === '/final') return json(res, { label: 'owned-by-redirect', score: 2 });
    switch (state.mode) {
      case 'benign':
        return json(res, { label: 'internal', score: 0.7 });
      case 'xss':
        return json(res, { label: '<img src=x onerror=alert(1)>', score: 1 });
      case 'types':
        return json(res, { label: { $gt: '' }, score: 'very' });
      case 'redirect':
        return res.writeHead(307, { location: '/final' }).end();
      case 'big':
        return json(res, { label: 'public', score: 0.5, pad: 'x'.repeat(100 * 1024) });
      case 'slow':
        setTimeout(() => json(res, { label: 'late-and-unchecked', score: 0.5 }), 2500).unref();
        return undefined;
      case 'not-json':
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      case 'error':
        return res.writeHead(500).end('{"label":"public","score":0.5}');
    }
  });
  return { ...server, state };
}

async function classify(lab: LabClient, token: string, id: string) {
  return lab.request('POST', `/api/v2/documents/${id}/classify`, { token });
}

test('vulnerable: the classifier writes any label of any type, through redirects, late or huge', async (t) => {
  const hostile = await hostileClassifier(t);
  const lab = await labFor(t, { variant: 'vulnerable', classifierUrl: `${hostile.url}/classify` });
  const alice = await lab.alice();
  const expectations: Array<[Mode, (label: string) => boolean]> = [
    ['xss', (l) => l === '<img src=x onerror=alert(1)>'],
    ['types', (l) => l === '{"$gt":""}'],
    ['redirect', (l) => l === 'owned-by-redirect'],
    ['big', (l) => l === 'public'],
    ['slow', (l) => l === 'late-and-unchecked'],
  ];
  for (const [mode, check] of expectations) {
    hostile.state.mode = mode;
    const reply = await classify(lab, alice, '1');
    assert.equal(reply.status, 200, mode);
    assert.ok(check(reply.json.classification), `${mode}: stored ${reply.json.classification}`);
  }
  assert.ok(
    hostile.hits.some((h) => h.url === '/final'),
    'the redirect was followed',
  );
});

test('secure: every bad reply is 502 and leaves the document unchanged; a good one is stored', async (t) => {
  const hostile = await hostileClassifier(t);
  const lab = await labFor(t, {
    variant: 'secure',
    classifierUrl: `${hostile.url}/classify`,
    limits: GENEROUS,
  });
  const alice = await lab.alice();
  const [doc] = await lab.documents(alice);
  const id = String(doc?.['id']);
  for (const mode of ['xss', 'types', 'redirect', 'big', 'slow', 'not-json', 'error'] as const) {
    hostile.state.mode = mode;
    const reply = await classify(lab, alice, id);
    assert.equal(reply.status, 502, mode);
    assert.equal(reply.json.code, 'classifier_bad_reply', mode);
    const after = await lab.request('GET', `/api/v2/documents/${id}`, { token: alice });
    assert.deepEqual(after.json, doc, `${mode}: document unchanged`);
  }
  assert.equal(hostile.hits.filter((h) => h.url === '/final').length, 0, 'no redirect followed');
  hostile.state.mode = 'benign';
  const good = await classify(lab, alice, id);
  assert.equal(good.status, 200);
  assert.equal(good.json.classification, 'internal');
  assert.deepEqual(JSON.parse(hostile.hits.at(-1)?.body ?? '{}'), { text: doc?.['content'] });
});

test('both variants: the built-in classifier labels documents', async (t) => {
  for (const variant of ['vulnerable', 'secure'] as const) {
    const lab = await labFor(t, { variant, limits: GENEROUS });
    const alice = await lab.alice();
    const [doc] = await lab.documents(alice);
    const reply = await classify(lab, alice, String(doc?.['id']));
    assert.equal(reply.status, 200, variant);
    assert.equal(reply.json.classification, 'confidential', variant);
  }
});
