// Writes docs/audit/rules.md from the audit rule table. `--check` exits 1 when the file is stale.
// Usage: npx tsx scripts/gen-audit-docs.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { renderRulesDoc } from '../src/audit/docs.js';

const file = new URL('../docs/audit/rules.md', import.meta.url);
const wanted = renderRulesDoc();
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== wanted) {
    console.error('docs/audit/rules.md is stale: run npx tsx scripts/gen-audit-docs.ts');
    process.exitCode = 1;
  }
} else {
  writeFileSync(file, wanted);
}
