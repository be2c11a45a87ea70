// Guards the layering in ARCHITECTURE.md: the lint rule must actually fire on a forbidden import.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers/cli.js';

const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

const cases: readonly [file: string, source: string, forbidden: boolean][] = [
  ['src/core/openapi/x.ts', "import { a } from '../../protect/gateway.js';", true],
  ['src/core/x.ts', "import { a } from '../cli/main.js';", true],
  ['src/core/x.ts', "import { a } from '../report/index.js';", true],
  ['src/report/x.ts', "import { a } from '../scan/engine/run.js';", true],
  ['src/protect/x.ts', "import { a } from '../audit/registry.js';", true],
  ['src/scan/x.ts', "import { a } from '../protect/index.js';", true],
  ['src/lab/x.ts', "import { a } from '../protect/index.js';", true],
  ['src/scan/engine/x.ts', "import { a } from '../checks/bola.js';", true],
  ['src/audit/engine/x.ts', "import { a } from '../rules/no-http-basic.js';", true],
  ['src/protect/engine/x.ts', "import { a } from '../stages/cors.js';", true],
  ['src/core/x.ts', "import { a } from './errors.js';", false],
  ['src/protect/x.ts', "import { a } from '../core/errors.js';", false],
  ['src/scan/engine/x.ts', "import { a } from '../registry.js';", false],
  ['src/cli/x.ts', "import { a } from '../protect/index.js';", false],
];

for (const [file, source, forbidden] of cases) {
  test(`layering: ${file} ${forbidden ? 'may not' : 'may'} ${source.split(' from ')[1]}`, async () => {
    const count = await restrictedImports(file, `${source}\nexport const b = a;\n`);
    assert.equal(count > 0, forbidden);
  });
}
