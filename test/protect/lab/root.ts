import { fileURLToPath } from 'node:url';
export { LogSink } from '../helpers.js';
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
