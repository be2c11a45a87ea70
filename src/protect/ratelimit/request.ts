/** What the rate-limit library needs from a request; the gateway stage builds it from its context. */
export interface LimitRequest {
  /** The operation's operationId, when the spec names it. */
  readonly operationId: string | undefined;
  /** `METHOD /template`, always present for documented operations ('' otherwise). */
  readonly operationKey: string;
  /** x-bulwark-rate-group of the operation. */
  readonly group: string | undefined;
  /** Verified subject (JWT sub, API key id, certificate subject); undefined when anonymous. */
  readonly subject: string | undefined;
  /** Client address after trusted-proxy processing (the gateway's job). */
  readonly clientAddress: string;
  /** Request header by lower-case name. */
  header(name: string): string | undefined;
  /** Verified claim by name. */
  claim(name: string): unknown;
  /** x-bulwark-cost of the operation (>= 0 integer). */
  readonly cost: number;
}

/** Whether a rule scoped to operations/groups applies to the request (absent scope = all). */
export function inScope(
  req: LimitRequest,
  operations: ReadonlySet<string> | undefined,
  groups: ReadonlySet<string> | undefined,
): boolean {
  if (
    operations &&
    !(
      operations.has(req.operationKey) ||
      (req.operationId !== undefined && operations.has(req.operationId))
    )
  ) {
    return false;
  }
  if (groups && (req.group === undefined || !groups.has(req.group))) return false;
  return true;
}
