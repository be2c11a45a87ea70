// Table-driven flaw/no-flaw tests: each row runs one check against the target with the flaw (it must
// report, with evidence) and without it (it must stay silent).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Flaw } from '../helpers/target.js';
import { runChecks } from '../helpers/run.js';

export interface Row {
  readonly check: string;
  readonly flaws: readonly Flaw[];
  readonly intrusive?: boolean;
  readonly consumer?: boolean;
  readonly config?: Record<string, unknown>;
  /** Extra assertion on the reported finding's message. */
  readonly message?: RegExp;
}

export function flawTable(rows: readonly Row[]): void {
  for (const row of rows) {
    const options = {
      intrusive: row.intrusive ?? false,
      consumer: row.consumer ?? false,
      ...(row.config ? { config: row.config } : {}),
    };
    const mode = row.intrusive ? ' (--intrusive)' : '';
    test(`${row.check}${mode} reports ${row.flaws.join(' + ')}`, async () => {
      const result = await runChecks([row.check], row.flaws, options);
      const found = result.findings.filter((f) => f.id === row.check);
      assert.ok(found.length > 0, `expected ${row.check}; notes: ${result.notes.join(' | ')}`);
      for (const finding of found) {
        assert.ok(finding.evidence?.exchanges?.length, 'carries exchanges');
        assert.match(finding.evidence?.curl ?? '', /curl /);
        if (row.message) assert.match(finding.message, row.message);
      }
    });
    test(`${row.check}${mode} stays silent without ${row.flaws.join(' + ')}`, async () => {
      const result = await runChecks([row.check], [], options);
      assert.deepEqual(
        result.findings.map((f) => `${f.id}: ${f.message}`),
        [],
      );
      assert.ok(result.checksRun.includes(row.check), 'the check ran');
    });
  }
}
