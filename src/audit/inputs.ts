// Turns `bulwark audit` arguments into a list of specs: files, directories (every .yaml, .yml and
// .json below them), globs (tinyglobby) and http(s) URLs. Directory and glob matches that turn out
// not to be API descriptions are skipped with a note; a file named explicitly must be one.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { BulwarkError } from '../core/errors.js';

export interface SpecInput {
  /** Path (as the user would read it) or URL. */
  readonly source: string;
  /** True when named directly, false when found by a directory or glob. */
  readonly explicit: boolean;
}

const SPEC_FILES = '**/*.{yaml,yml,json}';
const IGNORED = ['**/node_modules/**', '**/.git/**'];
const MAX_SPECS = 10_000;

export async function expandInputs(args: readonly string[], cwd: string): Promise<SpecInput[]> {
  if (args.length === 0) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'no API description given', {
      hint: 'bulwark audit <spec...>: files, directories, globs or http(s) URLs',
    });
  }
  const out: SpecInput[] = [];
  const seen = new Set<string>();
  const add = (source: string, explicit: boolean) => {
    if (seen.has(source)) return;
    seen.add(source);
    out.push({ source, explicit });
  };
  for (const arg of args) {
    if (/^https?:\/\//i.test(arg)) {
      add(arg, true);
      continue;
    }
    const info = await stat(resolve(cwd, arg)).catch(() => undefined);
    if (info?.isDirectory()) {
      const found = await glob(SPEC_FILES, {
        cwd: resolve(cwd, arg),
        ignore: IGNORED,
        absolute: true,
      });
      if (found.length === 0)
        throw noMatch(arg, 'the directory holds no .yaml, .yml or .json file');
      for (const file of found.sort()) add(file, false);
    } else if (info) {
      add(resolve(cwd, arg), true);
    } else if (isDynamicPattern(arg)) {
      const found = await glob(arg, { cwd, ignore: IGNORED, absolute: true, onlyFiles: true });
      if (found.length === 0) throw noMatch(arg, 'no file matches the pattern');
      for (const file of found.sort()) add(file, false);
    } else {
      throw new BulwarkError('BULWARK_ERR_SPEC_READ', 'file not found', {
        location: { file: arg },
      });
    }
    if (out.length > MAX_SPECS) {
      throw new BulwarkError('BULWARK_ERR_USAGE', 'too many API descriptions in one run', {
        hint: 'audit the directories one at a time',
      });
    }
  }
  return out;
}

function noMatch(arg: string, message: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_SPEC_READ', message, { location: { file: arg } });
}
