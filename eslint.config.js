// Lint config. The layering rules below are the enforced form of ARCHITECTURE.md:
// core is the bottom layer; report renders findings; protect, scan, audit and lab are engines that only
// use core; cli wires everything. Engines reach their concrete units only through a registry file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((name) => ({ group: [`**/${name}/**`, `**/${name}`], message })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  layer(
    ['src/core/**'],
    ['protect', 'scan', 'audit', 'cli', 'report', 'lab'],
    'src/core is the bottom layer: it must not import protect, scan, audit, report, lab or cli (ARCHITECTURE.md).',
  ),
  layer(
    ['src/report/**'],
    ['protect', 'scan', 'audit', 'cli', 'lab'],
    'src/report renders findings from core only (ARCHITECTURE.md).',
  ),
  layer(
    ['src/protect/**'],
    ['scan', 'audit', 'cli', 'lab'],
    'protect is an engine: it uses core only.',
  ),
  layer(
    ['src/scan/**'],
    ['protect', 'audit', 'cli', 'lab'],
    'scan is an engine: it uses core and report only.',
  ),
  layer(
    ['src/audit/**'],
    ['protect', 'scan', 'cli', 'lab'],
    'audit is an engine: it uses core and report only.',
  ),
  layer(
    ['src/lab/**'],
    ['protect', 'scan', 'audit', 'cli'],
    'the lab is standalone: it uses core only.',
  ),
  layer(
    ['src/scan/engine/**'],
    ['checks', 'protect', 'audit', 'cli', 'lab'],
    'the scan engine reaches checks only through the registry (src/scan/registry.ts).',
  ),
  layer(
    ['src/audit/engine/**'],
    ['rules', 'protect', 'scan', 'cli', 'lab'],
    'the audit engine reaches rules only through the registry (src/audit/registry.ts).',
  ),
  layer(
    ['src/protect/engine/**'],
    ['stages', 'scan', 'audit', 'cli', 'lab'],
    'the gateway engine reaches stages only through the registry (src/protect/registry.ts).',
  ),
);
