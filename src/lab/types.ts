// Shared shapes of the lab: options, the per-instance context and the handler contract.
import type { IncomingMessage } from 'node:http';
import type { AddressClass, LookupFn } from '../core/net/address.js';
import type { LabStore, UserRow } from './db/store.js';
import type { Flaws } from './flaws/index.js';
import type { LabSpec } from './spec.js';

export const VARIANTS = ['vulnerable', 'secure'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Tunables of the secure variant's limits. Defaults are in DEFAULT_LIMITS (docs/lab.md). */
export interface LabLimits {
  /** Request body cap in bytes (413 above). */
  readonly bodyBytes: number;
  /** Per-identity token bucket: burst size and sustained requests per second. */
  readonly rateBurst: number;
  readonly ratePerSecond: number;
  /** Failed logins allowed per account, and per client address, within loginWindowMs. */
  readonly loginPerAccount: number;
  readonly loginPerAddress: number;
  readonly loginWindowMs: number;
  /** Invitations per user per rolling 24 hours. */
  readonly invitationsPerDay: number;
  /** Outbound import: deadline and byte cap. */
  readonly importTimeoutMs: number;
  readonly importMaxBytes: number;
  /** Outbound classifier call: deadline and byte cap. */
  readonly classifierTimeoutMs: number;
  readonly classifierMaxBytes: number;
}

export const DEFAULT_LIMITS: LabLimits = Object.freeze({
  bodyBytes: 1024 * 1024,
  rateBurst: 20,
  ratePerSecond: 5,
  loginPerAccount: 5,
  loginPerAddress: 20,
  loginWindowMs: 15 * 60 * 1000,
  invitationsPerDay: 10,
  importTimeoutMs: 5000,
  importMaxBytes: 256 * 1024,
  classifierTimeoutMs: 2000,
  classifierMaxBytes: 64 * 1024,
});

export interface LabOptions {
  readonly variant: Variant;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to bind; 127.0.0.1 by default. */
  readonly host?: string;
  /** SQLite file. Default: a fresh temporary file, deleted on close. */
  readonly dbFile?: string;
  /** External classifier. Default: the lab starts its own benign one on loopback. */
  readonly classifierUrl?: string;
  /** Secure variant: allow http:// imports (https only otherwise). */
  readonly allowHttpImport?: boolean;
  /** Secure variant: origins allowed by CORS. */
  readonly corsOrigins?: readonly string[];
  /** Secure variant: override some limits (tests use small ones). */
  readonly limits?: Partial<LabLimits>;
  /**
   * Secure variant, programmatic only: address classes the import may reach besides public ones,
   * and a DNS lookup to use. Tests of the success path need them (their servers are on loopback).
   */
  readonly importAllowClasses?: readonly AddressClass[];
  readonly importLookup?: LookupFn;
}

export interface LabContext {
  readonly variant: Variant;
  readonly options: LabOptions;
  readonly limits: LabLimits;
  readonly store: LabStore;
  readonly flaws: Flaws;
  readonly spec: LabSpec;
  /** The classifier actually used (the built-in one unless --classifier-url was given). */
  readonly classifierUrl: string;
  /** The public base URL, e.g. http://127.0.0.1:8081 (set once listening). */
  baseUrl: string;
}

export interface LabRequest {
  readonly raw: IncomingMessage;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The client address (the socket peer; the lab trusts no forwarding header). */
  readonly ip: string;
  /** The authenticated caller, for routes that require authentication. */
  readonly caller: UserRow | undefined;
  /** The parsed JSON body, for routes that take one. */
  readonly body: unknown;
}

export interface LabResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Content type for a non-JSON body (a string body is sent as is). */
  readonly contentType?: string;
}

export interface RouteDef {
  /** Requires a bearer token (routes without it are public). */
  readonly auth: boolean;
  /** Reads and parses a JSON body. */
  readonly body: boolean;
  handle(ctx: LabContext, req: LabRequest): Promise<LabResponse> | LabResponse;
}

/** The authenticated caller of a route declared with `auth: true`. */
export function callerOf(req: LabRequest): UserRow {
  if (req.caller === undefined) throw new Error('route declared auth but no caller was set');
  return req.caller;
}
