// Enumeration detection (API1:2023 defence in depth, CWE-639): per identity and window, the number
// of distinct object ids requested, the share of 403/404 answers, and runs of sequential numeric ids
// (1, 2, 3, ... or a constant small stride). Each signal raises an alert once per window (event + log
// via onAlert) and, when configured, a temporary block. State is bounded (LRU, capped id sets).
import { BoundedMap } from './bounded-map.js';
import { parseDuration } from './duration.js';
import type { EnumerationConfig } from './config.js';
import { systemClock, type Clock, type EventListener } from './types.js';

export type EnumerationReason = 'distinct-ids' | 'error-ratio' | 'sequential-ids';

export interface EnumerationAlert {
  readonly identity: string;
  readonly reason: EnumerationReason;
  readonly blocked: boolean;
}

interface Track {
  since: number;
  ids: Set<string>;
  total: number;
  errors: number;
  last: number | undefined;
  step: number;
  run: number;
  alerted: Set<EnumerationReason>;
  blockedUntil: number;
}

/** Steps up to this size count as "sequential" (ids skipped by deletion still look like a scan). */
const MAX_STEP = 3;

export class EnumerationDetector {
  private readonly tracks: BoundedMap<string, Track>;
  private readonly windowMs: number;
  private readonly maxDistinct: number;
  private readonly maxErrorRatio: number;
  private readonly minRequests: number;
  private readonly sequentialRun: number;
  private readonly blockMs: number | undefined;

  constructor(
    config: EnumerationConfig,
    private readonly options: {
      clock?: Clock;
      onEvent?: EventListener;
      onAlert?: (alert: EnumerationAlert) => void;
    } = {},
  ) {
    this.tracks = new BoundedMap(config.maxKeys ?? 100_000);
    this.windowMs = parseDuration(config.window ?? '1m');
    this.maxDistinct = config.maxDistinctIds ?? 100;
    this.maxErrorRatio = config.maxErrorRatio ?? 0.5;
    this.minRequests = config.minRequests ?? 20;
    this.sequentialRun = config.sequentialRun ?? 10;
    this.blockMs = config.block === undefined ? undefined : parseDuration(config.block);
  }

  private get now(): number {
    return (this.options.clock ?? systemClock)();
  }

  /** Ms the identity stays blocked (0 = not blocked). */
  blockedFor(identity: string): number {
    const t = this.tracks.get(identity);
    return t ? Math.max(0, t.blockedUntil - this.now) : 0;
  }

  /** Records one answered request for an object id; returns the alerts it raised. */
  observe(identity: string, objectId: string | undefined, status: number): EnumerationAlert[] {
    const now = this.now;
    let t = this.tracks.get(identity);
    if (!t || now - t.since >= this.windowMs) {
      t = {
        since: now,
        ids: new Set(),
        total: 0,
        errors: 0,
        last: undefined,
        step: 0,
        run: 0,
        alerted: new Set(),
        blockedUntil: t?.blockedUntil ?? 0,
      };
      this.tracks.set(identity, t);
    }
    t.total++;
    if (status === 403 || status === 404) t.errors++;
    if (objectId !== undefined) {
      // Only one id beyond the threshold is kept: enough to know it was crossed.
      if (t.ids.size <= this.maxDistinct) t.ids.add(objectId);
      this.sequence(t, objectId);
    }
    const alerts: EnumerationAlert[] = [];
    if (t.ids.size > this.maxDistinct) this.alert(t, identity, 'distinct-ids', now, alerts);
    if (t.total >= this.minRequests && t.errors / t.total > this.maxErrorRatio)
      this.alert(t, identity, 'error-ratio', now, alerts);
    if (t.run >= this.sequentialRun) this.alert(t, identity, 'sequential-ids', now, alerts);
    return alerts;
  }

  private sequence(t: Track, objectId: string): void {
    if (!/^[0-9]{1,15}$/.test(objectId)) {
      t.last = undefined;
      t.run = 0;
      return;
    }
    const id = Number(objectId);
    if (t.last !== undefined) {
      const step = id - t.last;
      if (step !== 0 && Math.abs(step) <= MAX_STEP && step === t.step) t.run++;
      else if (step !== 0 && Math.abs(step) <= MAX_STEP) {
        t.step = step;
        t.run = 2;
      } else if (step !== 0) t.run = 1;
    } else t.run = 1;
    t.last = id;
  }

  private alert(
    t: Track,
    identity: string,
    reason: EnumerationReason,
    now: number,
    out: EnumerationAlert[],
  ): void {
    if (t.alerted.has(reason)) return;
    t.alerted.add(reason);
    const blocked = this.blockMs !== undefined;
    if (blocked) t.blockedUntil = now + (this.blockMs as number);
    const alert = { identity, reason, blocked };
    out.push(alert);
    try {
      this.options.onEvent?.({ type: 'enumeration', reason, blocked });
      this.options.onAlert?.(alert);
    } catch {
      // hooks never break decisions
    }
  }
}
