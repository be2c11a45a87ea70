import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api1:bola-read', flaws: ['bola'], message: /'bob' read|'alice' read/ },
  { check: 'scan:api1:bola-write', flaws: ['bola'], intrusive: true },
  { check: 'scan:api1:bola-delete', flaws: ['bola'], intrusive: true },
]);
