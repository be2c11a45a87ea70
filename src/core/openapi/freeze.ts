// Deep-freezes an object graph that may contain cycles and shared nodes: iterative, each object once.

export function deepFreeze<T>(value: T): T {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if ((typeof node !== 'object' && typeof node !== 'function') || node === null) continue;
    if (seen.has(node)) continue;
    seen.add(node);
    if (typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const child = (node as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null && !seen.has(child)) stack.push(child);
      }
    }
    Object.freeze(node);
  }
  return value;
}
