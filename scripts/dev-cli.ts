// Runs the CLI from source (no build), for tests and local development: `npx tsx scripts/dev-cli.ts <args>`.
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
