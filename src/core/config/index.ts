// Public face of the config module: import from 'src/core/config/index.js'.
export { CONFIG_FILE_NAMES, findConfig, loadConfig, parseConfig } from './load.js';
export type { LoadConfigOptions } from './load.js';
export {
  REDACTED,
  configError,
  configFile,
  configSource,
  isSecretPath,
  locateConfig,
  plaintextSecretPaths,
  redactConfig,
  resolveFromConfig,
  secretPaths,
  secretValues,
} from './meta.js';
export { formatPath } from './path.js';
export type { ConfigPath } from './path.js';
export type { ConfigSource } from './source.js';
export { CONFIG_SCHEMA_ID, CONFIG_SCHEMA_URL, loadConfigSchema } from './schema.js';
export { checkValue, validateValue } from './validate.js';
export type { ReportContext } from './validate.js';
export { SECTION_NAMES } from './types.js';
export type {
  AuditConfig,
  BulwarkConfig,
  ProtectConfig,
  ScanConfig,
  SectionName,
} from './types.js';
