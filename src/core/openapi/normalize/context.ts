// Shared helpers of the normalisers: positions for model objects, structural checks that fail with a
// located BULWARK_ERR_SPEC_INVALID, and `x-*` extension extraction.

import type { SpecLocation } from '../../finding.js';
import { BulwarkError } from '../../errors.js';
import type { JsonObject, NodeTable } from '../document.js';
import { clip, errorAtNode, escapePointerToken, isObject } from '../document.js';
import type { Extensions, SpecVersion } from '../model.js';

export class NormContext {
  readonly warnings: string[] = [];

  constructor(
    readonly table: NodeTable,
    readonly version: SpecVersion,
    readonly root: JsonObject,
    readonly file: string,
  ) {}

  /** The location of a source node; synthesised nodes take the location of `fallback`. */
  loc(node: unknown, fallback?: unknown): SpecLocation {
    for (const candidate of [node, fallback]) {
      if (typeof candidate === 'object' && candidate !== null) {
        const found = this.table.locate(candidate);
        if (found) return found;
      }
    }
    return this.table.locate(this.root) ?? { file: this.file, line: 1, column: 1, pointer: '' };
  }

  /** Register a model object (or synthesised node) at the position of its source node. */
  place<T extends object>(model: T, source: unknown): T {
    if (typeof source === 'object' && source !== null) this.table.alias(model, source);
    return model;
  }

  invalid(message: string, node: unknown, key?: string | number): BulwarkError {
    // Point at the offending child itself when it is a container (it has its own position).
    const child = key === undefined ? undefined : (node as Record<string | number, unknown>)[key];
    if (typeof child === 'object' && child !== null && this.table.get(child)?.parent) {
      return this.invalid(message, child);
    }
    const info = typeof node === 'object' && node !== null ? this.table.get(node) : undefined;
    if (info) return errorAtNode('BULWARK_ERR_SPEC_INVALID', message, info, key);
    return new BulwarkError('BULWARK_ERR_SPEC_INVALID', message, { location: { file: this.file } });
  }

  /** `holder[key]` as a mapping, or undefined when absent; anything else is a shape error. */
  map(holder: JsonObject, key: string, what: string): JsonObject | undefined {
    const value = holder[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) throw this.invalid(`${what} must be a mapping`, holder, key);
    return value;
  }

  /** `holder[key]` as a sequence, or undefined when absent; anything else is a shape error. */
  list(holder: JsonObject, key: string, what: string): unknown[] | undefined {
    const value = holder[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw this.invalid(`${what} must be a sequence`, holder, key);
    return value;
  }

  str(holder: JsonObject, key: string): string | undefined {
    const value = holder[key];
    return typeof value === 'string' ? value : undefined;
  }

  warn(message: string, node: unknown): void {
    if (this.warnings.length >= 200) return;
    const where = this.loc(node);
    this.warnings.push(`${where.file}:${where.line}:${where.column}: ${clip(message, 160)}`);
  }
}

export function extensions(node: JsonObject): Extensions {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(node)) {
    if (key.startsWith('x-')) (out ??= {})[key] = node[key];
  }
  return out ?? EMPTY;
}

const EMPTY: Extensions = Object.freeze({});

export function childPointer(base: SpecLocation, ...tokens: (string | number)[]): string {
  return `${base.pointer}/${tokens.map(escapePointerToken).join('/')}`;
}

/** Optional property helper for exactOptionalPropertyTypes: `{ ...opt('k', v) }`. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
