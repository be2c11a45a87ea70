// GraphQL gate vs graphql-armor, in one run, same documents: documents checked per second.
// Bulwark: GraphqlGate.check (pre-parse budgets, cached parse, structure checks, batch-wide walk) with
// the default `validation: security`; a second column runs `validation: full` (graphql-js's
// specified rules at the gateway too), so the price of each choice is visible (docs/graphql.md).
// graphql-armor 2.x: its MaxTokensParserWLexer parser, then graphql-js validate with specifiedRules
// plus maxDepthRule, costLimitRule, maxAliasesRule, maxDirectivesRule (what its envelop plugins run).
// Two workloads: "repeated" (the same documents again and again, as real clients send) and
// "unique" (every document is new: a different alias name defeats any cache).
// Usage: node --import tsx bench/graphql/run.ts [--seconds 2] [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { validate, specifiedRules, type DocumentNode, type ValidationRule } from 'graphql';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { labSdl } from '../../src/lab/graphql/sdl.js';
import { GraphqlGate } from '../../src/protect/graphql/gate.js';
import { resolveOptions } from '../../src/protect/graphql/options.js';
import { loadSchema } from '../../src/protect/graphql/schema.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;
const options = resolveOptions(undefined, { sdl: labSdl(true), limits: { depth: 6 } });
const schema = loadSchema(options, 'bench', process.cwd());
const gate = new GraphqlGate(schema, options);
const fullOptions = resolveOptions(undefined, {
  sdl: labSdl(true),
  limits: { depth: 6 },
  validation: 'full',
});
const fullGate = new GraphqlGate(schema, fullOptions);
const caller = { roles: [], scopes: [] };

const armorRules: ValidationRule[] = [
  ...specifiedRules,
  maxDepthRule({ n: 6 }),
  costLimitRule({ maxCost: 5000 }),
  maxAliasesRule({ n: 15 }),
  maxDirectivesRule({ n: 50 }),
];

// What graphql-armor adds on top of a server that validates anyway: its parser and its four rules,
// without graphql-js's specified rules. The fairest peer for Bulwark's default `validation: security`.
const armorOnlyRules: ValidationRule[] = armorRules.slice(specifiedRules.length);

function armorWith(rules: ValidationRule[], query: string): boolean {
  let doc: DocumentNode;
  try {
    doc = new MaxTokensParserWLexer(query, { n: 1000 }).parseDocument();
  } catch {
    return false;
  }
  try {
    // Its rules throw a GraphQLError on a breach (propagateOnRejection, the default).
    return validate(schema, doc, rules).length === 0;
  } catch {
    return false;
  }
}

const armor = (query: string): boolean => armorWith(armorRules, query);
const armorOnly = (query: string): boolean => armorWith(armorOnlyRules, query);

function bulwark(query: string): boolean {
  return gate.check('POST', { query }, caller).ok;
}

function bulwarkFull(query: string): boolean {
  return fullGate.check('POST', { query }, caller).ok;
}

const typical = (tag: string) =>
  `query Me { me { id name email ${tag}: documents(first: 10) { id title } } }`;
const large = (tag: string) =>
  `query Big { ${tag}: me { id name email role documents(first: 5) { id title content classification owner { id name } } }
  documents(first: 10) { ...D } }
  fragment D on Document { id title content classification owner { id name email role documents(first: 2) { id title } } }`;
const hostile = (tag: string) =>
  `{ ${tag}: me { id } ${Array.from({ length: 40 }, (_, i) => `a${i}: me { documents { owner { documents { owner { id } } } } }`).join(' ')} }`;

const workloads = { typical, large, hostile } as const;

function rate(fn: (q: string) => boolean, make: (tag: string) => string, unique: boolean): number {
  const fixed = make('t');
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn(unique ? make(`t${n + i}`) : fixed);
    n += 50;
  }
  return n / seconds;
}

const rows: string[] = [];
const ratios: string[] = [];
for (const [name, make] of Object.entries(workloads)) {
  for (const unique of [false, true]) {
    const label = `${name} (${unique ? 'unique' : 'repeated'})`;
    const a = rate(armor, make, unique);
    const b = rate(bulwark, make, unique);
    const f = rate(bulwarkFull, make, unique);
    const o = rate(armorOnly, make, unique);
    const n = (x: number) => Math.round(x).toLocaleString('en');
    rows.push(
      `| ${label} | ${n(b)} | ${n(f)} | ${n(a)} | ${n(o)} | ${(b / a).toFixed(2)}x | ${(f / a).toFixed(2)}x | ${(b / o).toFixed(2)}x |`,
    );
    ratios.push(
      `${label}: ${(b / a).toFixed(2)}x (${(b / o).toFixed(2)}x against armor's rules alone)`,
    );
    console.log(
      label,
      Math.round(b),
      Math.round(f),
      Math.round(a),
      Math.round(o),
      (b / a).toFixed(2),
    );
  }
}

const verdicts = Object.entries(workloads).map(
  ([name, make]) =>
    `${name}: bulwark ${bulwark(make('v')) ? 'pass' : 'refuse'}, armor ${armor(make('v')) ? 'pass' : 'refuse'}`,
);

if (process.argv.includes('--write')) {
  const section = `<!-- graphql:start -->

## GraphQL gate vs graphql-armor (bench/graphql)

Command: \`node --import tsx bench/graphql/run.ts --seconds ${seconds} --write\` (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; shared machine, ratios matter more than absolute numbers).
Both check the same documents against the lab schema with the same limits (depth 6, cost 5000, aliases 15, directives 50). graphql-armor 2.x runs as its envelop plugins do: its token-limited parser, then graphql-js \`validate\` with the specified rules plus its depth, cost, alias and directive rules. Verdicts: ${verdicts.join('; ')}.

| Workload | Bulwark docs/s | Bulwark (validation: full) docs/s | graphql-armor docs/s | armor rules alone docs/s | Ratio | Ratio (full) | Ratio vs rules alone |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Goal (issue 10): >= 2x graphql-armor. ${ratios.join('; ')}.
"Repeated" is what production traffic looks like (clients send a few documents many times; Bulwark parses and validates each once, then re-walks it per request because cost depends on variables). "Unique" defeats the cache: every document is parsed and checked. Bulwark's default (\`validation: security\`) runs its own structure and field checks and leaves graphql-js's other specified rules to the upstream, which validates before executing; graphql-armor's rules run inside that same graphql-js validation, so its column includes it. The "full" column runs those rules at the gateway as well. The "armor rules alone" column is graphql-armor's token-limited parser and its four rules without graphql-js's specified rules: what armor adds to a server that validates anyway, so "Ratio vs rules alone" is the like-for-like comparison with Bulwark's default.

<!-- graphql:end -->`;
  const file = new URL('../RESULTS.md', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const re = /<!-- graphql:start -->[\s\S]*<!-- graphql:end -->/;
  writeFileSync(
    file,
    re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`,
  );
}
