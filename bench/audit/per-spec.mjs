// Times every corpus spec inside one process (load + audit, sequential, after a warm-up spec), as
// `bulwark audit <dir> --jobs 1` runs them. Run with: node --import tsx bench/audit/per-spec.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { auditOne } from '../../src/audit/audit-one.ts';
import { corpusFiles, RESULTS, ROOT } from './common.mjs';

const files = corpusFiles();
mkdirSync(RESULTS, { recursive: true });
await auditOne(files[0], true, { cwd: ROOT }); // warm-up: JIT and module loading are not per-spec costs
const rows = [];
for (const file of files) {
  const r = await auditOne(file, true, { cwd: ROOT });
  const counts = {};
  for (const f of r.findings) counts[f.id] = (counts[f.id] ?? 0) + 1;
  rows.push({
    file,
    ms: Math.round(r.ms),
    error: r.error?.line,
    failures: r.failures.length,
    findings: r.findings.length,
    counts,
  });
}
writeFileSync(join(RESULTS, 'bulwark-per-spec.json'), JSON.stringify({ rows }, null, 1));
const worst = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
process.stderr.write(`bulwark per spec: worst ${worst.ms} ms ${worst.file}\n`);
