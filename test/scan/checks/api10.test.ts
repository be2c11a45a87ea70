import { flawTable } from './table.js';

flawTable([
  {
    check: 'scan:api10:unsafe-consumption',
    flaws: ['consume'],
    intrusive: true,
    consumer: true,
    config: { consumers: [{ operation: 'classifyDoc' }], hostileUpstream: { slowMs: 1500 } },
    message: /schema-violating.*redirect.*stalled/,
  },
]);
