// Times every corpus spec inside one process (load + audit, sequential, after a warm-up spec), as
// `bulwark audit <dir> --jobs 1` runs them, with the built package (dist/, `npm run build`).
// Run with: node bench/audit/per-spec.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpusFiles, DIST, RESULTS, ROOT } from './common.mjs';

const { auditOne } = await import(pathToFileURL(join(DIST, 'audit/audit-one.js')).href);

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
