// RFC 6901 JSON Pointer reads over parsed JSON (own properties only). Pointers from the config are
// parsed once at compile (`parsePointer`) so a per-request read only walks the segments.
export function parsePointer(pointer: string): readonly string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function pointerAt(doc: unknown, segments: readonly string[]): unknown {
  let cur = doc;
  for (const key of segments) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function pointerGet(doc: unknown, pointer: string): unknown {
  return pointerAt(doc, parsePointer(pointer));
}
