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

export function loadSchema(options: GraphqlOptions, where: string, cwd: string): GraphQLSchema {
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
          hint: 'x-bulwark-graphql.schemaFile is relative to the working directory',
        },
      );
    }
  }
  if (sdl === undefined) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `${where}: no GraphQL schema`, {
      hint: 'give x-bulwark-graphql.sdl or x-bulwark-graphql.schemaFile',
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
