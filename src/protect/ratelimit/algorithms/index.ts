import type { Algorithm } from '../types.js';
import { fixedWindow } from './fixed-window.js';
import { gcra } from './gcra.js';
import { slidingWindowCounter } from './sliding-window-counter.js';
import { slidingWindowLog } from './sliding-window-log.js';
import { tokenBucket } from './token-bucket.js';
import type { AlgorithmImpl } from './types.js';

/** Every algorithm by name; the state type is opaque to callers (the memory store). */
export const algorithms: Readonly<Record<Algorithm, AlgorithmImpl<unknown>>> = Object.freeze({
  'token-bucket': tokenBucket as AlgorithmImpl<unknown>,
  gcra: gcra as AlgorithmImpl<unknown>,
  'sliding-window-log': slidingWindowLog as AlgorithmImpl<unknown>,
  'sliding-window-counter': slidingWindowCounter as AlgorithmImpl<unknown>,
  'fixed-window': fixedWindow as AlgorithmImpl<unknown>,
});

export type { AlgorithmImpl, Verdict } from './types.js';
