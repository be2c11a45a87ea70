import { BulwarkError } from '../../core/errors.js';

/** Commands that are designed but not built yet say so plainly (exit 2), instead of pretending. */
export function notBuilt(name: string, issue: string): never {
  throw new BulwarkError(
    'BULWARK_ERR_NOT_IMPLEMENTED',
    `'bulwark ${name}' is not built yet (tracked in ${issue})`,
  );
}
