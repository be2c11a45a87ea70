// The declared responses of each operation, compiled once: status lookup (exact, then `5XX`, then
// `default`, as OpenAPI 3 §4.8.16 orders them) and, per media type, the projector and optional
// validator the response stages use.
import type { ValidateFunction } from 'ajv';
import type { Response } from '../../core/openapi/model.js';
import { ProjectorCompiler, type Projector } from './projector.js';
import type { ProtectPolicy } from './policy.js';
import { isJsonMediaType } from './reply.js';
import type { CompiledOperation } from './router.js';
import type { SchemaCompiler } from './schema-compiler.js';

export interface MediaPlan {
  readonly type: string;
  readonly json: boolean;
  readonly projector: Projector | undefined;
  readonly validate: ValidateFunction | undefined;
}

export interface ResponsePlan {
  readonly media: readonly MediaPlan[];
}

export class ResponseTable {
  private readonly byOp: Map<string, ResponsePlan>[];

  constructor(
    operations: readonly CompiledOperation[],
    policy: ProtectPolicy,
    schemas: SchemaCompiler,
  ) {
    const projectors = new ProjectorCompiler();
    const validate = policy.responses.validate !== 'off';
    this.byOp = operations.map((cop) => {
      const map = new Map<string, ResponsePlan>();
      for (const r of cop.op.responses)
        map.set(r.status.toUpperCase(), plan(r, cop, projectors, schemas, validate));
      return map;
    });
  }

  lookup(op: CompiledOperation, status: number): ResponsePlan | undefined {
    const map = this.byOp[op.index]!;
    return (
      map.get(String(status)) ?? map.get(`${Math.floor(status / 100)}XX`) ?? map.get('DEFAULT')
    );
  }
}

function plan(
  r: Response,
  cop: CompiledOperation,
  projectors: ProjectorCompiler,
  schemas: SchemaCompiler,
  validate: boolean,
): ResponsePlan {
  return {
    media: r.content.map((m) => {
      const type = m.mediaType.toLowerCase();
      const json = isJsonMediaType(type);
      const hasSchema = json && m.schema !== undefined;
      return {
        type,
        json,
        projector: hasSchema ? projectors.compile(m.schema) : undefined,
        validate:
          hasSchema && validate
            ? schemas.body(m.schema!, 'response', false, `${cop.key} ${r.status} response`)
            : undefined,
      };
    }),
  };
}

export function matchMedia(plan: ResponsePlan, type: string): MediaPlan | undefined {
  let wildcard: MediaPlan | undefined;
  const major = type.slice(0, type.indexOf('/') + 1);
  for (const m of plan.media) {
    if (m.type === type) return m;
    if (wildcard === undefined && (m.type === '*/*' || m.type === `${major}*`)) wildcard = m;
  }
  return wildcard;
}
