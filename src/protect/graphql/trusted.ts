// Trusted documents (persisted operations as an allowlist): in `enforce` only documents whose
// SHA-256 is in the manifest pass; `learn` records every document that passed all other checks so an
// operator can review and ship the manifest. The hash is always computed here from the text: a
// client-sent hash (Automatic Persisted Queries) proves nothing and is never an allowlist.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BulwarkError } from '../../core/errors.js';
import type { GraphqlOptions } from './options.js';

export class TrustedDocuments {
  private readonly known = new Map<string, string>();
  private readonly learned = new Map<string, string>();

  constructor(
    private readonly options: GraphqlOptions['trusted'],
    private readonly cwd: string,
  ) {
    if (options.mode === 'enforce') {
      if (options.manifest === undefined) {
        throw new BulwarkError(
          'BULWARK_ERR_CONFIG_INVALID',
          'trustedDocuments: enforce needs a manifest',
          {
            hint: 'set trustedDocuments.manifest to a JSON file of hash -> document',
          },
        );
      }
      this.load(options.manifest);
    }
  }

  private load(file: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(resolve(this.cwd, file), 'utf8'));
    } catch (cause) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        'trustedDocuments: the manifest cannot be read',
        {
          cause,
        },
      );
    }
    // Apollo's persisted-query manifest, or a plain { hash: document } object.
    const ops = (raw as { operations?: unknown }).operations;
    const entries: [unknown, unknown][] = Array.isArray(ops)
      ? ops.map((o) => [(o as { id?: unknown }).id, (o as { body?: unknown }).body])
      : Object.entries(raw as Record<string, unknown>);
    for (const [hash, body] of entries) {
      if (typeof hash === 'string' && typeof body === 'string')
        this.known.set(hash.toLowerCase(), body);
    }
  }

  get enforcing(): boolean {
    return this.options.mode === 'enforce';
  }

  has(hash: string): boolean {
    return this.known.has(hash);
  }

  /** The manifest's text for a hash (enforce mode resolves id-only requests). */
  text(hash: string): string | undefined {
    return this.known.get(hash);
  }

  /** Learn mode: records a passing document; bounded by learnMax. */
  learn(hash: string, text: string): void {
    if (this.options.mode !== 'learn' || this.learned.has(hash)) return;
    if (this.learned.size >= this.options.learnMax) return;
    this.learned.set(hash, text);
    if (this.options.learnFile !== undefined) {
      writeFileSync(
        resolve(this.cwd, this.options.learnFile),
        JSON.stringify(Object.fromEntries(this.learned), null, 2),
      );
    }
  }

  get learnedCount(): number {
    return this.learned.size;
  }
}
