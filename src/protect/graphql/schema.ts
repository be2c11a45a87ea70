// The upstream's schema, built once at startup from SDL (inline or a file). A schema that does not
// build is a startup error, never a per-request surprise.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { BulwarkError } from '../../core/errors.js';
import type { GraphqlOptions } from './options.js';

/** Directives Bulwark reads from the SDL; declared here so SDL using them need not declare them. */
export const BULWARK_DIRECTIVES = `
directive @cost(weight: String!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;

const DECLARED = /directive\s+@(cost|listSize)\b/g;

export function withBulwarkDirectives(sdl: string): string {
  const declared = new Set([...sdl.matchAll(DECLARED)].map((m) => m[1]));
  const missing = BULWARK_DIRECTIVES.split('\n').filter(
    (line) => line.startsWith('directive') && !declared.has(/@(\w+)/.exec(line)?.[1]),
  );
  return `${sdl}\n${missing.join('\n')}\n`;
}

/**
 * Builds the schema from inline SDL, else schemaFile, else the SDL prepareGraphql fetched by
 * introspection (`introspected`).
 */
export function loadSchema(
  options: GraphqlOptions,
  where: string,
  cwd: string,
  introspected?: string,
): GraphQLSchema {
  let sdl = options.sdl;
  if (sdl === undefined && options.schemaFile !== undefined) {
    try {
      sdl = readFileSync(resolve(cwd, options.schemaFile), 'utf8');
    } catch (cause) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        `${where}: the GraphQL schema file cannot be read`,
        {
          cause,
          hint: 'schemaFile is relative to the spec file (x-bulwark-graphql) or to the config file (protect.graphql)',
        },
      );
    }
  }
  if (sdl === undefined && options.schemaIntrospection !== undefined) {
    if (introspected === undefined) {
      throw new BulwarkError(
        'BULWARK_ERR_GRAPHQL_SCHEMA',
        `${where}: the introspected GraphQL schema was not fetched`,
        {
          hint: 'startProtect fetches it; when compiling a gateway yourself, await prepareGraphql(model, policy, upstream) first',
        },
      );
    }
    sdl = introspected;
  }
  if (sdl === undefined) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `${where}: no GraphQL schema`, {
      hint: 'give sdl, schemaFile or schemaIntrospection in x-bulwark-graphql or protect.graphql',
    });
  }
  try {
    return buildSchema(withBulwarkDirectives(sdl));
  } catch (cause) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_INVALID',
      `${where}: the GraphQL schema does not build`,
      {
        cause,
        hint: (cause as Error).message,
      },
    );
  }
}
