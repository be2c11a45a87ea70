// The whole-request walk over an operation after fragment expansion: depth, variables-aware cost,
// aliases, directives, introspection and field-level authorization in one pass. It is a loop over an
// explicit stack (no recursion), and every counter stops the walk as soon as the request exceeds it,
// so the walk itself is bounded whatever the document. Fragments are expanded the way graphql-js
// collects fields (each fragment once per selection set), after structure.ts refused cycles.
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isListType,
  Kind,
  type ArgumentNode,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { CostModel } from './cost-model.js';

export type LimitName = 'depth' | 'cost' | 'aliases' | 'directives' | 'fields' | 'logins';

/** One call of a login-type field: a guess the login guard must see (aliases are separate). */
export interface LoginCall {
  /** Index of the entry in a batch (0 when not batched). */
  readonly entry: number;
  /** Response key of a root field (alias or name); undefined when the call is not at the root. */
  readonly key: string | undefined;
  /** The account argument's value (literal or variable), when it is a string. */
  readonly account: string | undefined;
}

/** Running totals for one HTTP request (summed over a batch). */
export interface Totals {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  fields: number;
  /** Calls of login-type fields (aliases and batch entries each count: one guess each). */
  logins: number;
  /** Each of those calls, in document order, for the login guard. */
  readonly loginCalls: LoginCall[];
  exceeded: LimitName | undefined;
  introspection: boolean;
  /** The first coordinate (`Type.field`) the caller may not read or write. */
  denied: string | undefined;
  /** Client-safe reason the operation cannot run on this schema (unknown field or type). */
  invalid: string | undefined;
}

export function newTotals(): Totals {
  return {
    depth: 0,
    cost: 0,
    aliases: 0,
    directives: 0,
    fields: 0,
    logins: 0,
    loginCalls: [],
    exceeded: undefined,
    introspection: false,
    denied: undefined,
    invalid: undefined,
  };
}

export interface Limits {
  readonly depth: number;
  readonly cost: number;
  readonly aliases: number;
  readonly directives: number;
  readonly fields: number;
  readonly logins: number;
}

export interface WalkInput {
  readonly schema: GraphQLSchema;
  readonly model: CostModel;
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly limits: Limits;
  /** `Type.field` coordinates that are login attempts (e.g. Mutation.login). */
  readonly loginFields: ReadonlySet<string>;
  /** Argument names read as a login call's account, first match wins. */
  readonly loginAccount: readonly string[];
  /** Index of this operation's entry in a batch. */
  readonly entry: number;
  /** Returns false when the caller may not use this coordinate. */
  readonly allowed: (coordinate: string) => boolean;
}

interface Frame {
  readonly set: SelectionSetNode;
  readonly type: GraphQLNamedType | undefined;
  readonly depth: number;
  readonly mult: number;
  /** Child fields that get the list size of a connection (@listSize sizedFields). */
  readonly sized: { readonly names: readonly string[]; readonly size: number } | undefined;
  /** Fragments already collected into this selection set (graphql-js collectFields). */
  readonly seen: Set<string>;
}

const MAX_MULT = 1e12;

function countDirectives(t: Totals, limits: Limits, list: readonly DirectiveNode[] | undefined) {
  if (list === undefined || list.length === 0) return;
  t.directives += list.length;
  if (t.directives > limits.directives) t.exceeded ??= 'directives';
}

/** The integer a slicing argument has in this request: literal, variable, or its default. */
export function argumentInt(
  args: readonly ArgumentNode[] | undefined,
  name: string,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  const arg = args?.find((a) => a.name.value === name);
  if (arg === undefined) return undefined;
  return valueInt(arg.value, operation, variables);
}

function valueInt(
  value: ValueNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind !== Kind.VARIABLE) return undefined;
  const name = value.name.value;
  const given = Object.hasOwn(variables, name) ? variables[name] : undefined;
  if (typeof given === 'number') return given;
  if (given !== undefined && given !== null) return undefined;
  const def = operation.variableDefinitions?.find((v) => v.variable.name.value === name);
  return def?.defaultValue?.kind === Kind.INT ? Number(def.defaultValue.value) : undefined;
}

function loginAccount(
  args: readonly ArgumentNode[] | undefined,
  input: WalkInput,
): string | undefined {
  for (const name of input.loginAccount) {
    const arg = args?.find((a) => a.name.value === name);
    if (arg === undefined) continue;
    const v = arg.value;
    if (v.kind === Kind.STRING) return v.value;
    if (v.kind === Kind.VARIABLE) {
      const given = input.variables[v.name.value];
      return typeof given === 'string' ? given : undefined;
    }
    return undefined;
  }
  return undefined;
}

/** Walks one operation into `t`. Stops early (t.exceeded / t.denied) at the first breach. */
export function walkOperation(input: WalkInput, t: Totals): void {
  const { schema, model, operation, fragments, variables, limits, allowed } = input;
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) {
    t.invalid = `Schema is not configured to execute ${operation.operation} operation.`;
    return;
  }
  countDirectives(t, limits, operation.directives);
  walkArgumentsOf(operation, input, t);
  const stack: Frame[] = [
    {
      set: operation.selectionSet,
      type: root,
      depth: 0,
      mult: 1,
      sized: undefined,
      seen: new Set(),
    },
  ];
  while (
    stack.length > 0 &&
    t.exceeded === undefined &&
    t.denied === undefined &&
    t.invalid === undefined
  ) {
    const frame = stack.pop()!;
    for (const sel of frame.set.selections) {
      countDirectives(t, limits, sel.directives);
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        if (frame.seen.has(name)) continue;
        frame.seen.add(name);
        const frag = fragments.get(name);
        if (frag === undefined) continue; // structure.ts refused unknown fragments already
        countDirectives(t, limits, frag.directives);
        const type = conditionType(schema, frag.typeCondition.name.value, frame, t);
        if (t.invalid !== undefined) return;
        stack.push({ ...frame, set: frag.selectionSet, type });
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition
          ? conditionType(schema, sel.typeCondition.name.value, frame, t)
          : frame.type;
        if (t.invalid !== undefined) return;
        stack.push({ ...frame, set: sel.selectionSet, type: cond });
        continue;
      }
      // A field.
      if (++t.fields > limits.fields) {
        t.exceeded = 'fields';
        return;
      }
      if (sel.alias !== undefined && ++t.aliases > limits.aliases) {
        t.exceeded = 'aliases';
        return;
      }
      const name = sel.name.value;
      if (name === '__schema' || name === '__type') t.introspection = true;
      const depth = frame.depth + 1;
      if (depth > t.depth) t.depth = depth;
      if (depth > limits.depth) {
        t.exceeded = 'depth';
        return;
      }
      const parent = frame.type;
      if (parent !== undefined && input.loginFields.has(`${parent.name}.${name}`)) {
        if (++t.logins > limits.logins) {
          t.exceeded = 'logins';
          return;
        }
        t.loginCalls.push({
          entry: input.entry,
          key: depth === 1 ? (sel.alias ?? sel.name).value : undefined,
          account: loginAccount(sel.arguments, input),
        });
      }
      const def: GraphQLField<unknown, unknown> | undefined =
        parent !== undefined && isCompositeType(parent) && !isAbstractTypeUnion(parent)
          ? (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[
              name
            ]
          : undefined;
      // Inside introspection (`parent` unknown) fields are not checked: no rule names them.
      if (
        def === undefined &&
        parent !== undefined &&
        name !== '__typename' &&
        !((name === '__schema' || name === '__type') && depth === 1)
      ) {
        // The executor would refuse it too; refusing here keeps the walk on real types only.
        t.invalid = `Cannot query field "${name}" on type "${parent.name}".`;
        return;
      }
      if (parent !== undefined && name !== '__typename') {
        for (const coordinate of model.coordinatesOf(parent, name)) {
          if (!allowed(coordinate)) {
            t.denied = coordinate;
            return;
          }
        }
      }
      let mult = frame.mult;
      // A connection's sized field (edges, nodes) takes the connection's size, not its own.
      const sizedHere = frame.sized !== undefined && frame.sized.names.includes(name);
      if (sizedHere) mult *= frame.sized!.size;
      let sized: Frame['sized'];
      if (def !== undefined) {
        walkArguments(sel.arguments, def, input, t);
        if (t.denied !== undefined) return;
        const size = model.listSize(def, sel.arguments, operation, variables);
        if (size.sizedFields !== undefined) sized = { names: size.sizedFields, size: size.size };
        else if (!sizedHere && isListType(getNullableType(def.type))) mult *= size.size;
        if (mult > MAX_MULT) mult = MAX_MULT;
        t.cost += mult * model.fieldWeight(def);
        if (t.cost > limits.cost) {
          t.exceeded = 'cost';
          return;
        }
      }
      if (sel.selectionSet !== undefined) {
        const type = def !== undefined ? getNamedType(def.type) : undefined;
        stack.push({ set: sel.selectionSet, type, depth, mult, sized, seen: new Set() });
      }
    }
  }
}

/** The type a fragment applies to; an unknown name makes the operation invalid. */
function conditionType(
  schema: GraphQLSchema,
  name: string,
  frame: Frame,
  t: Totals,
): GraphQLNamedType | undefined {
  if (frame.type === undefined) return undefined; // inside introspection
  const type = schema.getType(name);
  if (type === undefined || !isCompositeType(type)) t.invalid = `Unknown type "${name}".`;
  return type;
}

function isAbstractTypeUnion(type: GraphQLNamedType): boolean {
  // Unions have no fields of their own (only __typename); interfaces do.
  return isAbstractType(type) && !('getFields' in type);
}

function walkArgumentsOf(op: OperationDefinitionNode, input: WalkInput, t: Totals): void {
  // Variables of input-object type: every field they set is a coordinate to authorize.
  for (const def of op.variableDefinitions ?? []) {
    countDirectives(t, input.limits, def.directives);
    const name = def.variable.name.value;
    if (!Object.hasOwn(input.variables, name)) continue;
    const type = typeFromAst(input.schema, def.type);
    if (type !== undefined) checkInputValue(type, input.variables[name], input, t);
  }
}

function typeFromAst(
  schema: GraphQLSchema,
  node: OperationDefinitionNode['variableDefinitions'] extends readonly (infer V)[] | undefined
    ? V extends { type: infer T }
      ? T
      : never
    : never,
): GraphQLInputType | undefined {
  let n = node;
  while (n.kind !== Kind.NAMED_TYPE) n = n.type;
  const type = schema.getType(n.name.value);
  return type !== undefined && (isInputObjectType(type) || !isCompositeType(type))
    ? (type as GraphQLInputType)
    : undefined;
}

/** Bounded walk of a JSON variable value against its input type (authorizes input fields). */
function checkInputValue(
  type: GraphQLInputType,
  value: unknown,
  input: WalkInput,
  t: Totals,
): void {
  const work: [GraphQLInputType, unknown][] = [[type, value]];
  let steps = 0;
  while (work.length > 0 && t.denied === undefined) {
    if (++steps > input.limits.fields) return; // the body's JSON caps bound this further
    const [ty, v] = work.pop()!;
    const named = getNamedType(ty);
    if (Array.isArray(v)) {
      for (const item of v) work.push([named, item]);
      continue;
    }
    if (!isInputObjectType(named) || v === null || typeof v !== 'object') continue;
    const fields = named.getFields();
    for (const key of Object.keys(v)) {
      const field = fields[key];
      if (field === undefined) continue;
      const coordinate = `${named.name}.${key}`;
      if (!input.allowed(coordinate)) {
        t.denied = coordinate;
        return;
      }
      work.push([field.type, (v as Record<string, unknown>)[key]]);
    }
  }
}

/** Literal arguments: input-object fields written inline are authorized like variables. */
function walkArguments(
  args: readonly ArgumentNode[] | undefined,
  def: GraphQLField<unknown, unknown>,
  input: WalkInput,
  t: Totals,
): void {
  if (args === undefined) return;
  for (const arg of args) {
    const argDef = def.args.find((a) => a.name === arg.name.value);
    if (argDef === undefined) continue;
    const work: [GraphQLInputType, ValueNode][] = [[argDef.type, arg.value]];
    while (work.length > 0) {
      const [ty, v] = work.pop()!;
      const named = getNamedType(ty);
      if (v.kind === Kind.LIST) {
        for (const item of v.values) work.push([named, item]);
      } else if (v.kind === Kind.OBJECT && isInputObjectType(named)) {
        const fields = named.getFields();
        for (const f of v.fields) {
          const fd = fields[f.name.value];
          if (fd === undefined) continue;
          const coordinate = `${named.name}.${f.name.value}`;
          if (!input.allowed(coordinate)) {
            t.denied = coordinate;
            return;
          }
          work.push([fd.type, f.value]);
        }
      }
    }
  }
}
