import { flawTable } from './table.js';

flawTable([
  {
    check: 'scan:api7:ssrf',
    flaws: ['ssrf'],
    intrusive: true,
    message: /loopback 127\.0\.0\.1.*redirect to loopback/,
  },
]);
