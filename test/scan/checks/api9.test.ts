import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api9:old-version', flaws: ['v1'], message: /without authentication/ },
  { check: 'scan:api9:debug-endpoint', flaws: ['debug'], message: /debug\/config/ },
  { check: 'scan:api9:spec-exposed', flaws: ['spec'] },
  { check: 'scan:api9:deprecated-no-sunset', flaws: ['deprecated'] },
  { check: 'scan:api9:response-conformance', flaws: ['undeclared'] },
]);
