import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api4:no-rate-limit', flaws: ['no-rate-limit'] },
  { check: 'scan:api4:unbounded-page-size', flaws: ['page-size'] },
  { check: 'scan:api4:oversized-body', flaws: ['body-size'], intrusive: true },
  { check: 'scan:api4:slow-input', flaws: ['slow'] },
]);
