import { flawTable } from './table.js';

flawTable([
  {
    check: 'scan:api6:unthrottled-flow',
    flaws: ['flow'],
    intrusive: true,
    config: { flows: { invitations: { operations: ['invite'] } } },
  },
]);
