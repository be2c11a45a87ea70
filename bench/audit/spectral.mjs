// The Spectral side of the audit benchmark: Spectral 6 with @stoplight/spectral-owasp-ruleset 2.x
// (bench/audit/spectral-owasp.yaml, which only extends the published ruleset) over the whole corpus.
//
// Two passes, because they answer different questions:
// - batch: one `spectral lint` process over every spec, as a CI job would run it. This gives the
//   total wall time and peak RSS compared against Bulwark's one-process run.
// - per-spec: one process per spec, to find the worst single spec. Each process pays Node and
//   ruleset start-up (~0.9 s), so these times slightly overstate Spectral's per-spec cost.
// Results go to bench/results/audit/spectral-*.json (raw output stays in bench/results/tmp/).
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { corpusFiles, timed, ROOT, RESULTS } from './common.mjs';

const RULESET = join(ROOT, 'bench/audit/spectral-owasp.yaml');
const SPECTRAL = join(ROOT, 'node_modules/.bin/spectral');
const TMP = join(ROOT, 'bench/results/tmp');

/** Reduces Spectral's JSON output to what the comparison needs: rule code, file and JSON pointer. */
function compact(raw) {
  const out = [];
  for (const d of raw) {
    const pointer =
      '/' + d.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    out.push({ code: d.code, source: d.source, pointer, line: d.range?.start?.line ?? -1 });
  }
  return out;
}

function readOutput(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return [];
  return JSON.parse(text);
}

async function batch(files) {
  const out = join(TMP, 'spectral-batch.json');
  rmSync(out, { force: true });
  const args = [
    'lint',
    '-r',
    RULESET,
    '-f',
    'json',
    '-o',
    out,
    '-q',
    '--fail-severity',
    'error',
    ...files,
  ];
  const run = await timed(SPECTRAL, args, { timeoutMs: 3 * 3600_000 });
  const raw = readOutput(out) ?? [];
  const counts = {};
  for (const d of raw) counts[d.code] = (counts[d.code] ?? 0) + 1;
  const unmapped = raw.filter((d) => d.source === undefined).length;
  const other = raw
    .filter((d) => !d.code.startsWith('owasp:'))
    .map((d) => ({ code: d.code, source: d.source }));
  return { ...run, total: raw.length, counts, unmapped, other };
}

async function perSpec(files) {
  const rows = [];
  for (const file of files) {
    const out = join(TMP, 'spectral-one.json');
    rmSync(out, { force: true });
    const args = [
      'lint',
      '-r',
      RULESET,
      '-f',
      'json',
      '-o',
      out,
      '-q',
      '--fail-severity',
      'error',
      file,
    ];
    const run = await timed(SPECTRAL, args, { timeoutMs: 900_000 });
    let findings;
    try {
      findings = compact((readOutput(out) ?? []).filter((d) => d.code.startsWith('owasp:')));
    } catch {
      findings = undefined; // unreadable output counts as a crash in the report
    }
    rows.push({ file, ...run, findings });
    process.stderr.write(`spectral ${rows.length}/${files.length} ${run.wallMs} ms ${file}\n`);
  }
  return rows;
}

const mode = process.argv[2] ?? 'all';
mkdirSync(TMP, { recursive: true });
mkdirSync(RESULTS, { recursive: true });
const files = corpusFiles();
const command = `node bench/audit/spectral.mjs ${mode}`;
if (mode === 'batch' || mode === 'all') {
  const started = new Date().toISOString();
  const result = await batch(files);
  writeFileSync(
    join(RESULTS, 'spectral-batch.json'),
    JSON.stringify({ command, started, specs: files.length, ...result }),
  );
  process.stderr.write(`spectral batch: ${result.wallMs} ms, ${result.maxRssKb} KB\n`);
}
if (mode === 'per-spec' || mode === 'all') {
  const started = new Date().toISOString();
  const rows = await perSpec(files);
  writeFileSync(
    join(RESULTS, 'spectral-per-spec.json'),
    JSON.stringify({ command, started, rows }),
  );
}
