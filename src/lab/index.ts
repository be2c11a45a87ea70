// Public API of the lab (docs/lab.md): start either variant in-process.
export { startLab, type RunningLab } from './app.js';
export { SEED_USERS } from './seed.js';
export { AUDIENCE, ISSUER, WEAK_SECRET } from './flaws/api2-authentication.js';
export {
  DEFAULT_LIMITS,
  VARIANTS,
  type LabLimits,
  type LabOptions,
  type Variant,
} from './types.js';
