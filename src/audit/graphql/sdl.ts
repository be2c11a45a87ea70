// The GraphQL schemas an API description carries: every operation marked `x-bulwark-graphql` with
// its SDL (inline `sdl`, or `schemaFile` relative to the description's folder). The SDL is parsed,
// never executed; a schema that does not parse is skipped here (bulwark protect refuses it at
// startup with a coded error).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import type { SpecLocation } from '../../core/finding.js';
import type { ApiModel, Operation } from '../../core/openapi/model.js';
import type { RuleContext } from '../types.js';

export interface GraphqlEndpoint {
  readonly operation: Operation;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly document: DocumentNode;
  /** Where to point findings: the operation's `x-bulwark-graphql`. */
  readonly location: SpecLocation | undefined;
}

const MAX_SDL_BYTES = 2 * 1024 * 1024;

function readSdl(model: ApiModel, settings: Record<string, unknown>): string | undefined {
  if (typeof settings['sdl'] === 'string') return settings['sdl'];
  const file = settings['schemaFile'];
  if (typeof file !== 'string' || /^[a-z]+:\/\//i.test(model.source)) return undefined;
  try {
    const path = isAbsolute(file) ? file : resolve(dirname(model.source), file);
    const text = readFileSync(path, 'utf8');
    return text.length <= MAX_SDL_BYTES ? text : undefined;
  } catch {
    return undefined;
  }
}

const cache = new WeakMap<ApiModel, GraphqlEndpoint[]>();

export function graphqlEndpoints(model: ApiModel): GraphqlEndpoint[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: GraphqlEndpoint[] = [];
  for (const operation of model.operations) {
    const ext = operation.extensions['x-bulwark-graphql'];
    if (ext === undefined || ext === false) continue;
    const settings =
      ext !== null && typeof ext === 'object' ? (ext as Record<string, unknown>) : {};
    const sdl = readSdl(model, settings);
    if (sdl === undefined) continue;
    let document: DocumentNode;
    try {
      document = parse(sdl, { maxTokens: 200_000 });
    } catch {
      continue;
    }
    const pointer = `${operation.location.pointer}/x-bulwark-graphql`;
    out.push({
      operation,
      settings,
      document,
      location: model.locatePointer(pointer, operation.location.file) ?? operation.location,
    });
  }
  cache.set(model, out);
  return out;
}

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

/** Object types (and their extensions) of the SDL. */
export function objectTypes(doc: DocumentNode): ObjectNode[] {
  return doc.definitions.filter(
    (d): d is ObjectNode =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION,
  );
}

/** Directives that mean "checked by an authorization layer" in common GraphQL stacks. */
const AUTH_DIRECTIVE =
  /^(auth|authenticated|authorized|requiresScopes|requireAuth|requiresAuth|hasRole|hasScope|policy|isAuthenticated|aws_auth|aws_cognito_user_pools|aws_iam|private)$/i;

export function hasAuth(directives: readonly ConstDirectiveNode[] | undefined): boolean {
  return (directives ?? []).some((d) => AUTH_DIRECTIVE.test(d.name.value));
}

/** Whether Bulwark's own settings guard `Type.field` (fields rules or the sensitive list). */
export function guardedByBulwark(
  settings: Readonly<Record<string, unknown>>,
  coordinate: string,
): boolean {
  const fields = settings['fields'];
  const sensitive = settings['sensitive'];
  return (
    (fields !== null && typeof fields === 'object' && coordinate in fields) ||
    (Array.isArray(sensitive) && sensitive.includes(coordinate))
  );
}

export function isList(field: FieldDefinitionNode): boolean {
  let t = field.type;
  while (t.kind === Kind.NON_NULL_TYPE) t = t.type;
  return t.kind === Kind.LIST_TYPE;
}

/** "schema line N" for messages (the SDL may live in another file than the description). */
export function sdlLine(node: { loc?: { startToken: { line: number } } }): string {
  return node.loc ? ` (schema line ${node.loc.startToken.line})` : '';
}

/**
 * Reports one finding per endpoint listing every item: the engine keeps one finding per rule and
 * location, and all of an endpoint's SDL findings point at its `x-bulwark-graphql`.
 */
export function reportAll(
  ctx: RuleContext,
  ep: GraphqlEndpoint,
  items: readonly string[],
  message: (list: string) => string,
): void {
  if (items.length === 0) return;
  ctx.report({
    message: message(items.join('; ')),
    operation: ep.operation,
    ...(ep.location ? { location: ep.location } : {}),
  });
}
