// The secure variant's GraphQL limits, written for the lab alone (the lab imports only core). The
// bracket scan runs before graphql-js parses anything: its recursive parser overflows the stack on
// deep nesting (CWE-674). Depth is measured after validation (NoFragmentCyclesRule has refused
// cycles), with each fragment expanded once per selection set, like graphql-js collects fields.
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const SECURE_GRAPHQL = Object.freeze({
  tokens: 2000,
  nesting: 32,
  depth: 8,
  aliases: 15,
  maxFirst: 100,
});

/** Max bracket nesting of `text`, stopping early past `limit` (strings and comments skipped). */
export function bracketDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) i++;
      }
    } else if (c === 123 || c === 40 || c === 91) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 125 || c === 41 || c === 93) {
      depth--;
    }
  }
  return max;
}

/** Depth and alias count of one operation, fragments expanded (bounded by the caps). */
export function measure(
  doc: DocumentNode,
  op: OperationDefinitionNode,
): { depth: number; aliases: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let depth = 0;
  let aliases = 0;
  let visits = 0;
  const stack: [SelectionSetNode, number, Set<string>][] = [[op.selectionSet, 0, new Set()]];
  while (stack.length > 0) {
    const [set, level, seen] = stack.pop()!;
    for (const sel of set.selections) {
      // A fragment fan-out of distinct fields is refused as too deep rather than walked forever.
      if (++visits > 10_000) return { depth: Infinity, aliases };
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases++;
        depth = Math.max(depth, level + 1);
        if (depth > SECURE_GRAPHQL.depth || aliases > SECURE_GRAPHQL.aliases)
          return { depth, aliases };
        if (sel.selectionSet) stack.push([sel.selectionSet, level + 1, new Set()]);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        stack.push([sel.selectionSet, level, seen]);
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const frag = fragments.get(sel.name.value);
        if (frag) stack.push([frag.selectionSet, level, seen]);
      }
    }
  }
  return { depth, aliases };
}
