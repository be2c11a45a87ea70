// The package entry (`import ... from 'bulwark'`): the stable building blocks for embedding Bulwark.
// The gateway and its adapters are also available alone as `bulwark/protect`.
export { BulwarkError, ERROR_CODES, isBulwarkError, type ErrorCode } from './core/errors.js';
export {
  OWASP_CATEGORIES,
  OWASP_TITLES,
  SEVERITIES,
  findingFingerprint,
  type Finding,
  type OwaspCategory,
  type Severity,
} from './core/finding.js';
export {
  loadSpec,
  loadSpecFromString,
  parseSpecText,
  type LoadOptions,
} from './core/openapi/load.js';
export type { ApiModel, Operation, Schema } from './core/openapi/model.js';
export { findConfig, loadConfig, parseConfig } from './core/config/index.js';
export type { BulwarkConfig } from './core/config/types.js';
export { REPORT_FORMATS, renderReport } from './report/index.js';
export {
  compileGateway,
  protectExpress,
  protectFastify,
  protectHandler,
  startProtect,
} from './protect/index.js';
export { startLab, type RunningLab } from './lab/index.js';
