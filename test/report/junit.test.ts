import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SaxesParser } from 'saxes';
import type { Finding } from '../../src/core/finding.js';
import { escapeXml } from '../../src/report/escape.js';
import { renderJunit } from '../../src/report/junit.js';
import { ALL, CONTROL, SECRET_TOKEN, XSS, basicAuth, bola, meta } from './sample.js';

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: Element[];
}

/** Parses with saxes, a conformant XML 1.0 parser that throws on any well-formedness error. */
function parseXml(xml: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#document', attributes: {}, text: '', children: [] };
  const stack: Element[] = [root];
  parser.on('opentag', (tag) => {
    const element: Element = {
      name: tag.name,
      attributes: { ...(tag.attributes as Record<string, string>) },
      text: '',
      children: [],
    };
    stack[stack.length - 1]?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  const [document] = root.children;
  assert.ok(document);
  return document;
}

function all(element: Element, name: string): Element[] {
  const out = element.name === name ? [element] : [];
  for (const child of element.children) out.push(...all(child, name));
  return out;
}

test('the JUnit report is well-formed XML even with hostile content', () => {
  const doc = parseXml(renderJunit(ALL, meta()));
  assert.equal(doc.name, 'testsuites');
});

test('the strict parser really rejects what escaping prevents', () => {
  assert.throws(() => parseXml(`<a>${'\u0001'}</a>`));
  assert.throws(() => parseXml('<a b="<"/>'));
  assert.throws(() => parseXml('<a>&</a>'));
});

test('one test suite per OWASP category, one failing case per finding, passing cases per clean rule', () => {
  const doc = parseXml(renderJunit(ALL, meta()));
  const suites = all(doc, 'testsuite');
  assert.deepEqual(
    suites.map((s) => s.attributes['name']?.split(' ')[0]),
    ['API1:2023', 'API2:2023', 'API4:2023', 'API8:2023', 'API9:2023'],
  );
  const api8 = suites.find((s) => s.attributes['name']?.startsWith('API8:2023'));
  assert.equal(api8?.attributes['tests'], '2');
  assert.equal(api8?.attributes['failures'], '2');
  const api4 = suites.find((s) => s.attributes['name']?.startsWith('API4:2023'));
  assert.equal(api4?.attributes['failures'], '0');
  assert.equal(all(api4 as Element, 'failure').length, 0);
  assert.equal(doc.attributes['tests'], String(ALL.length + 1));
  assert.equal(doc.attributes['failures'], String(ALL.length));
  assert.equal(doc.attributes['time'], '5.250');
  assert.equal(all(doc, 'failure').length, ALL.length);
});

test('hostile text survives as text: markup, quotes and control characters are escaped', () => {
  const doc = parseXml(renderJunit([bola, basicAuth], meta({ rules: [] })));
  const failures = all(doc, 'failure');
  const bolaFailure = failures.find((f) => f.attributes['message']?.includes('alice'));
  assert.equal(bolaFailure?.attributes['message'], bola.message);
  assert.ok(bolaFailure?.text.includes(XSS));
  const basicFailure = failures.find((f) => f.attributes['type'] === 'high');
  assert.ok(basicFailure);
  // XML-illegal characters become visible \uXXXX text; legal ones (tab, LF) survive attribute
  // normalisation through character references.
  assert.match(
    basicFailure.attributes['message'] ?? '',
    /nul\\u0000 bell\\u0007 esc\\u001b vt\\u000b ff\\u000c fffe\\ufffe/,
  );
  assert.doesNotMatch(basicFailure.attributes['message'] ?? '', new RegExp(CONTROL.slice(0, 4)));
  const multiline = parseXml(`<a m="${escapeXml('line1\nline2\ttab')}"/>`);
  assert.equal(multiline.attributes['m'], 'line1\nline2\ttab');
});

test('failure bodies carry location, rule, redacted reproduction and fix', () => {
  const doc = parseXml(renderJunit([bola], meta({ rules: [] })));
  const [failure] = all(doc, 'failure');
  assert.ok(failure);
  assert.match(failure.text, /Location: specs\/lab\.yaml:41:7 {2}GET \/documents\/\{id\}/);
  assert.match(failure.text, /Rule: scan:api1:bola-read \(API1:2023, CWE-639, critical, certain\)/);
  assert.match(failure.text, /Reproduce: curl /);
  assert.match(failure.text, /Fix: Check the caller owns/);
  assert.doesNotMatch(failure.text, new RegExp(SECRET_TOKEN.slice(0, 20)));
  assert.doesNotMatch(failure.text, /leaky/);
});

test('a run with no rules and no findings still yields one passing test case', () => {
  const doc = parseXml(renderJunit([], meta({ rules: [] })));
  assert.equal(all(doc, 'testcase').length, 1);
  assert.equal(all(doc, 'failure').length, 0);
  assert.equal(doc.attributes['tests'], '1');
});

test('lone surrogates and characters outside XML are made visible, never emitted raw', () => {
  const finding: Finding = { ...bola, message: 'bad \ud800 pair \udfff end \u0008' };
  const xml = renderJunit([finding], meta({ rules: [] }));
  const doc = parseXml(xml);
  const [failure] = all(doc, 'failure');
  assert.equal(failure?.attributes['message'], 'bad \\ud800 pair \\udfff end \\u0008');
});
