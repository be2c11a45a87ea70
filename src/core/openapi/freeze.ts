// Deep-freezes an object graph that may contain cycles and shared nodes: iterative, each object once.
// "Already frozen" doubles as the visited mark (cheaper than a Set on million-node specs); the only
// objects frozen before this runs are our own empty constants.

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  const stack: object[] = [value];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) {
        Object.freeze(child);
        stack.push(child);
      }
    }
  }
  return value;
}
