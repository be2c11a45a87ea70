// Runs the CLI from source (no build), for tests and local development: `npx tsx scripts/dev-cli.ts <args>`.
import { exitQuietlyOnBrokenPipe, main } from '../src/cli/main.js';

exitQuietlyOnBrokenPipe();

process.exitCode = await main(process.argv.slice(2));
