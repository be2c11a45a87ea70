// The command registry: the CLI knows commands only through this array.
import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { demoCommand } from './demo.js';
import { inspectCommand } from './inspect.js';
import { keysCommand } from './keys.js';
import { labCommand } from './lab.js';
import { protectCommand } from './protect.js';
import { scanCommand } from './scan.js';

export const commands: readonly Command[] = [
  auditCommand,
  scanCommand,
  protectCommand,
  labCommand,
  inspectCommand,
  demoCommand,
  keysCommand,
];
