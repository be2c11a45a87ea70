// `bulwark inspect <spec>`: loads an API description the way every other command does and prints
// what Bulwark understood: version, title, operations with their effective security. A quick way to
// check that a spec loads, and why not when it does not (exit 2, one coded line with file:line:col).
import { BulwarkError } from '../../core/errors.js';
import { loadSpec } from '../../core/openapi/load.js';
import type { ApiModel, Operation, SecurityRequirement } from '../../core/openapi/model.js';
import type { Command, CommandContext } from '../command.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Load an OpenAPI/Swagger description and summarise its operations and security',
  usage: 'inspect <spec> [--format text|json]',
  allowPositionals: true,
  options: {
    format: {
      type: 'string',
      short: 'f',
      value: 'FORMAT',
      description: 'output format: text, json (default text)',
    },
  },
  details: [
    'The spec may be a file (YAML or JSON) or an http(s) URL. Security per operation:',
    '"public" means `security: []`, "anonymous" an empty requirement `{}`, "undeclared" no',
    'security anywhere; alternatives are separated by " | ", schemes needed together by " + ".',
    '',
    'Examples:',
    '  bulwark inspect openapi.yaml',
    '  bulwark inspect https://api.example.com/openapi.json --format json',
  ].join('\n'),
  run,
};

async function run(ctx: CommandContext): Promise<number> {
  const format = parseFormat(ctx.values['format']);
  const [spec, ...extra] = ctx.positionals;
  if (spec === undefined || extra.length > 0) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'inspect takes exactly one spec', {
      hint: 'usage: bulwark inspect <spec> [--format text|json]',
    });
  }
  const model = await loadSpec(spec, {
    cwd: ctx.cwd,
    signal: ctx.signal,
    onWarning: (message) => ctx.stderr.write(`bulwark: warning: ${message}\n`),
  });
  ctx.stdout.write(
    format === 'json' ? `${JSON.stringify(toJson(model), null, 2)}\n` : toText(model),
  );
  return 0;
}

function parseFormat(raw: unknown): Format {
  if (raw === undefined) return 'text';
  if (typeof raw === 'string' && (FORMATS as readonly string[]).includes(raw)) return raw as Format;
  throw new BulwarkError(
    'BULWARK_ERR_REPORT_FORMAT',
    `unknown format '${String(raw)}' for inspect`,
    {
      hint: `use one of: ${FORMATS.join(', ')}`,
    },
  );
}

/** One line per alternative semantics: see OperationSecurity in model.ts. */
export function describeSecurity(declared: readonly SecurityRequirement[] | undefined): string {
  if (declared === undefined) return 'undeclared';
  if (declared.length === 0) return 'public';
  return declared
    .map((req) =>
      req.schemes.length === 0
        ? 'anonymous'
        : req.schemes
            .map((s) =>
              s.scopes.length > 0 ? `${s.scheme.name}(${s.scopes.join(' ')})` : s.scheme.name,
            )
            .join(' + '),
    )
    .join(' | ');
}

function toText(model: ApiModel): string {
  const lines: string[] = [];
  lines.push(`${model.info.title || '(untitled)'} ${model.info.version}`.trimEnd());
  lines.push(`format:     ${model.version} (${model.specVersion})`);
  lines.push(`source:     ${model.files[0] ?? model.source}`);
  if (model.files.length > 1) lines.push(`files:      ${model.files.length}`);
  if (model.servers.length > 0)
    lines.push(`servers:    ${model.servers.map((s) => s.url).join(', ')}`);
  const schemes = Object.values(model.securitySchemes).map((s) => `${s.name} (${schemeKind(s)})`);
  lines.push(`security:   ${schemes.length > 0 ? schemes.join(', ') : 'no schemes'}`);
  lines.push(`schemas:    ${Object.keys(model.schemas).length}`);
  const deprecated = model.operations.filter((o) => o.deprecated).length;
  lines.push(
    `operations: ${model.operations.length}${deprecated > 0 ? ` (${deprecated} deprecated)` : ''}`,
  );
  const width = Math.min(
    60,
    model.operations.reduce((w, o) => Math.max(w, o.key.length), 0),
  );
  for (const op of model.operations) lines.push(`  ${operationLine(op, width)}`);
  return `${lines.join('\n')}\n`;
}

function operationLine(op: Operation, width: number): string {
  const flags = op.deprecated ? '  [deprecated]' : '';
  return `${op.key.padEnd(width)}  ${describeSecurity(op.security.declared)}${flags}`;
}

function schemeKind(scheme: ApiModel['securitySchemes'][string]): string {
  switch (scheme.type) {
    case 'http':
      return `http ${scheme.scheme}`;
    case 'apiKey':
      return `apiKey in ${scheme.in} '${scheme.paramName}'`;
    case 'oauth2':
      return `oauth2 ${Object.keys(scheme.flows).join(', ')}`;
    default:
      return scheme.type;
  }
}

function toJson(model: ApiModel) {
  return {
    version: model.version,
    specVersion: model.specVersion,
    title: model.info.title,
    apiVersion: model.info.version,
    files: model.files,
    servers: model.servers.map((s) => s.url),
    securitySchemes: Object.fromEntries(
      Object.values(model.securitySchemes).map((s) => [s.name, schemeKind(s)]),
    ),
    schemas: Object.keys(model.schemas).length,
    operations: model.operations.map((op) => ({
      key: op.key,
      ...(op.operationId === undefined ? {} : { operationId: op.operationId }),
      deprecated: op.deprecated,
      security:
        op.security.declared === undefined
          ? null
          : op.security.declared.map((req) =>
              req.schemes.map((s) => ({ scheme: s.scheme.name, scopes: s.scopes })),
            ),
      securityFromOperation: op.security.fromOperation,
      location: `${op.location.file}:${op.location.line}:${op.location.column}`,
    })),
  };
}
