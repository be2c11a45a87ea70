// Path normalisation (RFC 3986 §6.2.2) with refusal of every form that different servers read
// differently (path confusion, CWE-22/CWE-436). The gateway routes, checks and forwards the SAME
// normalised string, so `/public/..%2fadmin` can never be checked as one route and served as another.
//
// Refused: encoded `/` and `\` (%2F, %5C), raw `\`, `;` matrix parameters (Tomcat/Spring path
// parameters), NUL and control bytes, double encoding (%25XX), malformed escapes, raw non-ASCII, and
// percent-encoded bytes that are not valid shortest-form UTF-8 (overlong `%C0%AF` and friends).
// Normalised: %XX of unreserved characters decoded (so %2E is a dot), other escapes upper-cased,
// duplicate slashes merged, `.` and `..` segments resolved; `..` above the root is refused.

export type NormaliseResult =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e
  );
}

const HEX = '0123456789ABCDEF';

/** True when the path needs no work: the common case costs one scan and no allocation. */
function isSimple(path: string): boolean {
  let prev = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x25 || c === 0x5c || c === 0x3b) return false;
    if (c === 0x2f && prev === 0x2f) return false;
    if (c === 0x2e && prev === 0x2f) return false; // any segment starting with a dot: check fully
    prev = c;
  }
  return true;
}

function fail(reason: string): NormaliseResult {
  return { ok: false, reason };
}

export function normalisePath(raw: string): NormaliseResult {
  if (raw.length === 0 || raw.charCodeAt(0) !== 0x2f) return fail('path does not start with /');
  if (isSimple(raw)) return { ok: true, path: raw };
  // Pass 1: decode unreserved escapes, validate the others, refuse ambiguous characters.
  let out = '';
  let pending: number[] | undefined; // consecutive non-ASCII escaped bytes, checked as UTF-8
  const flush = (): string | undefined => {
    if (!pending) return undefined;
    try {
      utf8.decode(Uint8Array.from(pending));
    } catch {
      return 'invalid or overlong UTF-8 in an escape';
    }
    pending = undefined;
    return undefined;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      const h1 = hex(raw.charCodeAt(i + 1));
      const h2 = hex(raw.charCodeAt(i + 2));
      if (h1 < 0 || h2 < 0) return fail('malformed percent-escape');
      const b = h1 * 16 + h2;
      i += 2;
      if (b >= 0x80) {
        (pending ??= []).push(b);
        out += `%${HEX[h1]}${HEX[h2]}`;
        continue;
      }
      const bad = flush();
      if (bad) return fail(bad);
      if (b === 0x2f || b === 0x5c) return fail('encoded slash or backslash');
      if (b === 0x25) return fail('double percent-encoding');
      if (b < 0x20 || b === 0x7f) return fail('encoded control byte');
      if (b === 0x3b) return fail('encoded matrix parameter');
      out += isUnreserved(b) ? String.fromCharCode(b) : `%${HEX[h1]}${HEX[h2]}`;
      continue;
    }
    const bad = flush();
    if (bad) return fail(bad);
    if (c <= 0x20 || c >= 0x7f) return fail('raw control, space or non-ASCII byte');
    if (c === 0x5c) return fail('backslash');
    if (c === 0x3b) return fail('matrix parameter');
    out += raw[i];
  }
  const bad = flush();
  if (bad) return fail(bad);
  // Pass 2: merge slashes and resolve dot segments.
  const parts = out.split('/');
  const stack: string[] = [];
  const last = parts.length - 1;
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i] ?? '';
    if (seg === '.' || seg === '') {
      if (i === last) stack.push('');
      continue;
    }
    if (seg === '..') {
      if (stack.length === 0 || (stack.length === 1 && stack[0] === '')) {
        return fail('dot segment above the root');
      }
      stack.pop();
      if (i === last) stack.push('');
      continue;
    }
    stack.push(seg);
  }
  return { ok: true, path: `/${stack.join('/')}` };
}
