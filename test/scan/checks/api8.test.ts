import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api8:cors-any-origin', flaws: ['cors'] },
  { check: 'scan:api8:security-headers', flaws: ['no-headers'] },
  { check: 'scan:api8:verbose-errors', flaws: ['stack'] },
  { check: 'scan:api8:banner', flaws: ['banner'] },
  { check: 'scan:api8:trace-enabled', flaws: ['trace'] },
  { check: 'scan:api8:fuzz-server-error', flaws: ['fuzz500'], message: /limit/ },
]);
