// The cost model, compiled once per schema. It follows the IBM/GraphQL Foundation cost directive spec
// (`@cost(weight)`, `@listSize(assumedSize, slicingArguments, sizedFields)`): a field costs its weight
// times the sizes of the lists it sits in. Weights: @cost on the field, else @cost on its type, else
// 1 for objects and 0 for leaves. A list's size is the value its slicing argument has in THIS request
// (literal, variable or default; graphql-armor ignores variables, so `users(first: $n)` was free),
// else @listSize(assumedSize), else the configured default.
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  Kind,
  type ArgumentNode,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { argumentInt } from './analyze.js';
import type { FieldRule, GraphqlOptions } from './options.js';

interface ListSizeInfo {
  readonly assumedSize: number | undefined;
  readonly slicing: readonly string[];
  readonly sizedFields: readonly string[] | undefined;
}

export interface ListSize {
  readonly size: number;
  readonly sizedFields: readonly string[] | undefined;
}

function directive(
  nodes: readonly ConstDirectiveNode[] | undefined,
  name: string,
): ConstDirectiveNode | undefined {
  return nodes?.find((d) => d.name.value === name);
}

function argOf(d: ConstDirectiveNode | undefined, name: string) {
  return d?.arguments?.find((a) => a.name.value === name)?.value;
}

function weightOf(nodes: readonly ConstDirectiveNode[] | undefined): number | undefined {
  const v = argOf(directive(nodes, 'cost'), 'weight');
  if (v === undefined) return undefined;
  const n =
    v.kind === Kind.STRING || v.kind === Kind.INT || v.kind === Kind.FLOAT ? Number(v.value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function stringList(v: ReturnType<typeof argOf>): string[] | undefined {
  if (v === undefined || v.kind !== Kind.LIST) return undefined;
  return v.values.flatMap((x) => (x.kind === Kind.STRING ? [x.value] : []));
}

export class CostModel {
  private readonly weights = new WeakMap<GraphQLField<unknown, unknown>, number>();
  private readonly sizes = new WeakMap<GraphQLField<unknown, unknown>, ListSizeInfo>();
  /** `Type.field` -> coordinates with rules that reading it touches (abstract types fan out). */
  private readonly guarded = new Map<string, readonly string[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: GraphqlOptions,
  ) {
    const ruled = new Set([...Object.keys(options.fields), ...options.sensitive]);
    for (const coordinate of ruled) {
      const [typeName, field] = coordinate.split('.');
      if (typeName === undefined || field === undefined) continue;
      this.guard(typeName, field, coordinate);
      // A field read through an interface or union reaches every implementation's field.
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isAbstractType(type)) continue;
        if (schema.getPossibleTypes(type).some((p) => p.name === typeName)) {
          this.guard(type.name, field, coordinate);
        }
      }
    }
  }

  private guard(typeName: string, field: string, coordinate: string): void {
    const key = `${typeName}.${field}`;
    this.guarded.set(key, [...(this.guarded.get(key) ?? []), coordinate]);
  }

  private static readonly NONE: readonly string[] = [];

  coordinatesOf(parent: GraphQLNamedType, field: string): readonly string[] {
    if (this.guarded.size === 0) return CostModel.NONE;
    return this.guarded.get(`${parent.name}.${field}`) ?? CostModel.NONE;
  }

  fieldWeight(def: GraphQLField<unknown, unknown>): number {
    let w = this.weights.get(def);
    if (w === undefined) {
      const type = getNamedType(def.type);
      w =
        weightOf(def.astNode?.directives) ??
        weightOf(type.astNode?.directives) ??
        (isLeafType(type) ? 0 : 1);
      this.weights.set(def, w);
    }
    return w;
  }

  private info(def: GraphQLField<unknown, unknown>): ListSizeInfo {
    let info = this.sizes.get(def);
    if (info === undefined) {
      const d = directive(def.astNode?.directives, 'listSize');
      const assumed = argOf(d, 'assumedSize');
      const declared = new Set(def.args.map((a) => a.name));
      info = {
        assumedSize: assumed?.kind === Kind.INT ? Number(assumed.value) : undefined,
        slicing: (stringList(argOf(d, 'slicingArguments')) ?? this.options.slicingArguments).filter(
          (a) => declared.has(a),
        ),
        sizedFields: stringList(argOf(d, 'sizedFields')),
      };
      this.sizes.set(def, info);
    }
    return info;
  }

  listSize(
    def: GraphQLField<unknown, unknown>,
    args: readonly ArgumentNode[] | undefined,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>>,
  ): ListSize {
    const info = this.info(def);
    let size: number | undefined;
    for (const name of info.slicing) {
      let v = argumentInt(args, name, operation, variables);
      if (v === undefined) {
        const dv = def.args.find((a) => a.name === name)?.defaultValue;
        if (typeof dv === 'number') v = dv;
      }
      if (v !== undefined && (size === undefined || v > size)) size = v;
    }
    size ??= info.assumedSize ?? this.options.defaultListSize;
    return { size: Math.max(0, size), sizedFields: info.sizedFields };
  }

  get schemaRef(): GraphQLSchema {
    return this.schema;
  }
}

/** Whether an identity's roles and scopes satisfy a rule. */
export function satisfies(rule: FieldRule, roles: readonly string[], scopes: readonly string[]) {
  const needRoles = rule.roles ?? [];
  const needScopes = rule.scopes ?? [];
  return (
    (needRoles.length === 0 || needRoles.some((r) => roles.includes(r))) &&
    needScopes.every((s) => scopes.includes(s))
  );
}
