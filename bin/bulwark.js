#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { exitQuietlyOnBrokenPipe, main } from '../dist/cli/main.js';

exitQuietlyOnBrokenPipe();

process.exitCode = await main(process.argv.slice(2));
