import { flawTable } from './table.js';

flawTable([
  {
    check: 'scan:api3:sensitive-data',
    flaws: ['sensitive'],
    message: /password_hash|internal_notes/,
  },
  {
    check: 'scan:api3:mass-assignment',
    flaws: ['mass-assignment'],
    intrusive: true,
    message: /'role'/,
  },
]);
