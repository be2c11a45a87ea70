// The shape of one audit rule and of what the engine hands it. A rule is a plain definition object in
// its own file under src/audit/rules/, registered in src/audit/registry.ts (ARCHITECTURE.md).
import type { Confidence, OwaspCategory, Severity, SpecLocation } from '../core/finding.js';
import type { BulwarkConfig } from '../core/config/types.js';
import type { ApiModel, Operation, Schema, SchemaObject } from '../core/openapi/model.js';

/** Where a schema node is used, seen through every `$ref` (context awareness, issue 8). */
export interface SchemaUse {
  /** Reached from a parameter or request body, and not under a `readOnly` property. */
  readonly request: boolean;
  /** Reached from a response body or response header, and not under a `writeOnly` property. */
  readonly response: boolean;
}

/** One schema node with how the API uses it. */
export interface SchemaSite extends SchemaUse {
  readonly node: SchemaObject;
  /** The property name under which this node was first reached, if any (`role`, `password`). */
  readonly propertyName: string | undefined;
  /** For a parameter's own schema: the parameter name, for messages. */
  readonly parameterName: string | undefined;
}

/** The schemas of a model, each listed once, with request/response use and the operations using it. */
export interface SchemaIndex {
  /** Every schema node reachable from an operation, each once (shared components included once). */
  readonly sites: readonly SchemaSite[];
  useOf(node: object): SchemaUse | undefined;
  /**
   * Where a schema node is written: its own location, else (for schemas the loader synthesised, such
   * as Swagger 2.0 non-body parameters) its parameter's, else its nearest located ancestor's.
   */
  locationOf(node: object): SpecLocation | undefined;
  /** Keys (`GET /pets`) of the operations whose request or response reaches the node. */
  operationsOf(node: object, side?: 'request' | 'response'): readonly string[];
}

/** What a rule reports; the engine adds the rule's metadata, location checks and suppression. */
export interface Report {
  readonly message: string;
  /** The node the finding is about: used for its location and for `x-bulwark-ignore`. */
  readonly node?: object;
  /** Where to point; when absent, the node's own location (then its operation's) is used. */
  readonly location?: SpecLocation;
  readonly operation?: Operation;
  /** Operation keys that share this finding (one finding per shared component, issue 8). */
  readonly operations?: readonly string[];
  /** Extra places, e.g. every offending response of one operation. */
  readonly related?: readonly SpecLocation[];
  readonly severity?: Severity;
  readonly confidence?: Confidence;
  readonly detail?: string;
}

/** The Bulwark config (bulwark.yaml); policy rules read it defensively, every part may be missing. */
export type PolicyConfig = BulwarkConfig;

export interface RuleContext {
  readonly model: ApiModel;
  readonly schemas: SchemaIndex;
  /** The Bulwark config file, when one was given; policy rules lint it. */
  readonly config: PolicyConfig | undefined;
  /** Where a config path (`['protect', 'cors']`) is in the config file, for policy findings. */
  locateConfig(path: readonly (string | number)[]): SpecLocation;
  report(report: Report): void;
  /** Location of a node, falling back to the nearest known place, never 0:0. */
  locate(node: object | undefined, fallback?: SpecLocation): SpecLocation;
}

export interface AuditRule {
  /** `owasp:apiN:<slug>`; never reused once released. */
  readonly id: string;
  readonly owasp: OwaspCategory;
  readonly cwe: string;
  readonly severity: Severity;
  readonly confidence?: Confidence;
  readonly title: string;
  /** Why it matters, citing the standard. */
  readonly rationale: string;
  readonly remediation: string;
  /** The Spectral OWASP rules (2.x) this rule covers, for docs and the benchmark. */
  readonly spectral?: readonly string[];
  /** True for rules that lint the Bulwark policy config rather than the API description. */
  readonly policy?: boolean;
  run(ctx: RuleContext): void;
}

export type { Schema, SchemaObject };
