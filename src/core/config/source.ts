// Parses config text into a plain value plus a locator that maps a config path back to the
// line and column in the file, so every config error can point at the exact spot.
// JSON files are parsed by JSON.parse (strict JSON), YAML by the `yaml` package (YAML 1.2 core
// schema: `yes`/`on` stay strings, no timestamps, no custom tags, duplicate keys are errors).
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { BulwarkError } from '../errors.js';
import type { ErrorLocation } from '../errors.js';
import { toPointer } from './path.js';
import type { ConfigPath } from './path.js';

export interface ConfigSource {
  readonly file: string;
  /** Where `path` is written: the key (for unknown or misspelt keys) or the value (default). */
  locate(path: ConfigPath, part?: 'key' | 'value'): ErrorLocation;
}

export interface ParsedConfig {
  readonly value: unknown;
  readonly source: ConfigSource;
}

/** Aliases may repeat nodes; this caps expansion so an alias bomb cannot exhaust memory (CWE-776). */
const MAX_ALIAS_COUNT = 100;

export function parseConfigText(text: string, file: string): ParsedConfig {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  checkFlowDepth(body, file);
  const doc = parseDocument(body, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    strict: true,
  });
  const source = makeSource(file, doc, lineCounter);
  if (/\.json$/i.test(file)) {
    const value = body.trim() === '' ? null : parseJson(body, file, lineCounter);
    // JSON.parse keeps the last of two equal keys; the YAML parse of the same text sees both.
    const duplicate = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
    if (duplicate) throw syntaxError('JSON', duplicate, file);
    return { value, source };
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw syntaxError('YAML', problem, file);
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown, source };
  } catch (error) {
    // toJS throws only for excessive aliasing.
    throw new BulwarkError('BULWARK_ERR_CONFIG_READ', `invalid YAML: ${firstLine(String(error))}`, {
      cause: error,
      location: { file },
    });
  }
}

/** Real configs nest a handful of levels; this stops a crafted `[[[[...` before any parser recurses. */
const MAX_FLOW_DEPTH = 64;

/**
 * Counts [ and { nesting outside quotes and comments, in one pass. Approximate for YAML (an
 * apostrophe in a plain scalar looks like a quote), which can only under-count, never refuse a
 * real config.
 */
function checkFlowDepth(text: string, file: string): void {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) {
        const before = text.slice(0, i);
        const line = before.split('\n').length;
        const column = i - before.lastIndexOf('\n');
        throw new BulwarkError('BULWARK_ERR_CONFIG_READ', 'the config nests too deeply', {
          location: { file, line, column },
        });
      }
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth -= 1;
    }
  }
}

function syntaxError(kind: string, problem: YAMLError, file: string): BulwarkError {
  const [pos] = problem.linePos ?? [];
  // The parser turns its own stack overflow on deep block nesting into an error; say why.
  const reason = /call stack/i.test(problem.message)
    ? 'the config nests too deeply'
    : `invalid ${kind}: ${firstLine(problem.message)}`;
  return new BulwarkError('BULWARK_ERR_CONFIG_READ', reason, {
    location: { file, ...(pos ? { line: pos.line, column: pos.col } : {}) },
  });
}

function parseJson(text: string, file: string, lineCounter: LineCounter): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BulwarkError('BULWARK_ERR_CONFIG_READ', `invalid JSON: ${jsonReason(message)}`, {
      cause: error,
      location: { file, ...jsonPosition(message, text, lineCounter) },
    });
  }
}

/** V8's JSON errors carry "at position N" (Node 20) or "(line L column C)" (Node 21+), or nothing. */
function jsonPosition(
  message: string,
  text: string,
  lineCounter: LineCounter,
): { line?: number; column?: number } {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : firstBadOffset(text);
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/**
 * Offset of the first bad character, for V8 messages that give none ("Unexpected token 'h'"):
 * the shortest prefix that fails for a reason other than ending early. Binary search, so at most
 * ~20 parses of a file capped at 1 MiB, and only on the error path.
 */
function firstBadOffset(text: string): number {
  const failsInside = (prefix: string): boolean => {
    try {
      JSON.parse(prefix);
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/end of JSON input/.test(message)) return false;
      const at = /at position (\d+)/.exec(message);
      return at ? Number(at[1]) < prefix.length : true;
    }
  };
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (failsInside(text.slice(0, middle))) bad = middle;
    else good = middle;
  }
  return bad - 1;
}

function jsonReason(message: string): string {
  // Drop V8's echo of the input (`..."s": hunter2}" is not valid JSON`): it could hold a secret
  // written in the file (CWE-209). What follows ", " or " in JSON" is excerpt or position.
  const reason = firstLine(message).split(/, | in JSON| \(line \d+/)[0] ?? '';
  return reason.trim() || 'syntax error';
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function makeSource(file: string, doc: Document, lineCounter: LineCounter): ConfigSource {
  return {
    file,
    locate(path, part = 'value') {
      const found = findNode(doc, path);
      const node = part === 'key' ? (found.key ?? found.value) : (found.value ?? found.key);
      const location: ErrorLocation = { file, pointer: toPointer(path) };
      const offset = node?.range?.[0];
      if (offset === undefined) return location;
      const pos = lineCounter.linePos(offset);
      return { ...location, line: pos.line, column: pos.col };
    },
  };
}

interface FoundNode {
  readonly key: Node | undefined;
  readonly value: Node | undefined;
}

/** Walks the YAML node tree along `path`; stops at the deepest node that exists. */
function findNode(doc: Document, path: ConfigPath): FoundNode {
  let found: FoundNode = { key: undefined, value: resolve(doc, doc.contents ?? undefined) };
  for (const segment of path) {
    const node = found.value;
    let next: FoundNode | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair)
        next = { key: pair.key as Node, value: resolve(doc, pair.value as Node | undefined) };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item) next = { key: undefined, value: resolve(doc, item) };
    }
    if (!next) return found;
    found = next;
  }
  return found;
}

function resolve(doc: Document, node: Node | null | undefined): Node | undefined {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? node;
  return node ?? undefined;
}
