import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api5:bfla', flaws: ['bfla'], message: /'alice'/ },
  {
    check: 'scan:api5:method-swap',
    flaws: ['method-swap', 'bola'],
    intrusive: true,
    message: /PATCH/,
  },
]);
