// One pass over a JSON body's bytes, before JSON.parse, that enforces the structural caps (API4:
// depth and total key count, CWE-400/CWE-674) and refuses what the parser would silently accept but
// the upstream may read differently:
// - duplicate keys (JSON.parse keeps the last, many parsers keep the first: validation bypass);
// - prototype-pollution keys `__proto__`, and `prototype` directly under `constructor` (CWE-1321),
//   also when written with \u escapes.
// It allocates only for key strings; the body is forwarded byte for byte as checked.

export type ScanProblem = 'depth' | 'keys' | 'duplicate' | 'pollution';

interface Frame {
  readonly object: boolean;
  keys: string[] | Set<string> | undefined;
  lastKey: string | undefined;
}

function keyText(buf: Buffer, start: number, end: number, escaped: boolean): string {
  const raw = buf.toString('utf8', start, end);
  if (!escaped) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw; // JSON.parse of the whole body reports the syntax error
  }
}

function remember(frame: Frame, key: string): boolean {
  const keys = frame.keys;
  if (keys === undefined) {
    frame.keys = [key];
    return true;
  }
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return false;
    keys.push(key);
    if (keys.length > 16) frame.keys = new Set(keys);
    return true;
  }
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}

export function scanJson(buf: Buffer, maxDepth: number, maxKeys: number): ScanProblem | undefined {
  const stack: Frame[] = [];
  let keys = 0;
  let inString = false;
  let escape = false;
  let hasEscape = false;
  let strStart = 0;
  let lastStart = -1;
  let lastEnd = -1;
  let lastEscaped = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (inString) {
      if (escape) escape = false;
      else if (b === 0x5c) {
        escape = true;
        hasEscape = true;
      } else if (b === 0x22) {
        inString = false;
        lastStart = strStart;
        lastEnd = i;
        lastEscaped = hasEscape;
      }
      continue;
    }
    switch (b) {
      case 0x22:
        inString = true;
        hasEscape = false;
        strStart = i + 1;
        break;
      case 0x7b:
      case 0x5b:
        if (stack.length >= maxDepth) return 'depth';
        stack.push({ object: b === 0x7b, keys: undefined, lastKey: undefined });
        break;
      case 0x7d:
      case 0x5d:
        stack.pop();
        break;
      case 0x3a: {
        const frame = stack[stack.length - 1];
        if (!frame?.object || lastStart < 0) break; // a syntax error; JSON.parse will say so
        if (++keys > maxKeys) return 'keys';
        const key = keyText(buf, lastStart, lastEnd, lastEscaped);
        if (key === '__proto__') return 'pollution';
        if (key === 'prototype' && stack[stack.length - 2]?.lastKey === 'constructor') {
          return 'pollution';
        }
        if (!remember(frame, key)) return 'duplicate';
        frame.lastKey = key;
        lastStart = -1;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}
