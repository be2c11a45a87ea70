// The document-level checks the gate's guarantees rest on, done in one cheap pass instead of
// graphql-js's full `validate` (whose TypeInfo traversal and 26 rules cost ten times the parse):
// only executable definitions; unique operation and fragment names; one anonymous operation alone;
// every spread names a known fragment; and no fragment cycle (graphql-js NoFragmentCyclesRule's
// job: a cycle would make fragment expansion endless, CWE-674). Field-level checks (a field exists
// on its type, type conditions exist) happen in the walk (analyze.ts), which resolves every field
// anyway. Together they make the gate's view of a document the one an executor would have: the
// fields it authorizes and prices are the fields that would run.
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface Structure {
  readonly operations: readonly OperationDefinitionNode[];
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Client-safe reason the document is invalid, or undefined. */
  readonly problem: string | undefined;
  /** The problem is a fragment cycle. */
  readonly cyclic: boolean;
}

/** Fragment names spread anywhere inside `set` (iterative: nesting is already bounded). */
function spreadsOf(set: SelectionSetNode): Set<string> {
  const out = new Set<string>();
  const stack: SelectionSetNode[] = [set];
  while (stack.length > 0) {
    for (const sel of stack.pop()!.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) out.add(sel.name.value);
      else if (sel.selectionSet !== undefined) stack.push(sel.selectionSet);
    }
  }
  return out;
}

/** A fragment that reaches itself through spreads, or undefined (iterative three-colour DFS). */
function cycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const path: [string, Iterator<string>][] = [[start, graph.get(start)!.values()]];
    state.set(start, 1);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const next = top[1].next();
      if (next.done) {
        state.set(top[0], 2);
        path.pop();
        continue;
      }
      const name = next.value;
      const s = state.get(name);
      if (s === 1) return name;
      if (s === 2 || !graph.has(name)) continue;
      state.set(name, 1);
      path.push([name, graph.get(name)!.values()]);
    }
  }
  return undefined;
}

export function structureOf(document: DocumentNode): Structure {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  const names = new Set<string>();
  let anonymous = 0;
  const fail = (problem: string, cyclic = false): Structure => ({
    operations,
    fragments,
    problem,
    cyclic,
  });
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) {
      operations.push(def);
      if (def.name === undefined) anonymous++;
      else if (names.has(def.name.value))
        return fail(`There can be only one operation named "${def.name.value}".`);
      else names.add(def.name.value);
    } else if (def.kind === Kind.FRAGMENT_DEFINITION) {
      if (fragments.has(def.name.value))
        return fail(`There can be only one fragment named "${def.name.value}".`);
      fragments.set(def.name.value, def);
    } else {
      return fail('The document may only hold operations and fragments.');
    }
  }
  if (anonymous > 0 && operations.length > 1)
    return fail('This anonymous operation must be the only defined operation.');
  const graph = new Map<string, ReadonlySet<string>>();
  for (const [name, frag] of fragments) graph.set(name, spreadsOf(frag.selectionSet));
  const spread = [...graph.values(), ...operations.map((o) => spreadsOf(o.selectionSet))];
  for (const set of spread) {
    for (const name of set) if (!fragments.has(name)) return fail(`Unknown fragment "${name}".`);
  }
  const looped = cycle(graph);
  if (looped !== undefined) return fail(`Cannot spread fragment "${looped}" within itself.`, true);
  return { operations, fragments, problem: undefined, cyclic: false };
}
