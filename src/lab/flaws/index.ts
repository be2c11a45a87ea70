// The ten flaws, one module each, every module holding both implementations side by side.
// createFlaws picks one side per flaw; handlers only ever call through this object, so the
// difference between `vulnerable` and `secure` lives entirely in src/lab/flaws/ (docs/lab.md).
import type { LabSpec } from '../spec.js';
import type { LabLimits, LabOptions, Variant } from '../types.js';
import { secureObjectAccess, vulnerableObjectAccess, type ObjectAccess } from './api1-bola.js';
import {
  secureLoginPolicy,
  secureTokens,
  vulnerableLoginPolicy,
  vulnerableTokens,
  type LoginPolicy,
  type TokenService,
} from './api2-authentication.js';
import {
  secureProperties,
  vulnerableProperties,
  type PropertyPolicy,
} from './api3-property-authorization.js';
import {
  secureResources,
  vulnerableResources,
  type ResourcePolicy,
} from './api4-resource-consumption.js';
import {
  secureFunctions,
  vulnerableFunctions,
  type FunctionPolicy,
} from './api5-function-authorization.js';
import { secureFlows, vulnerableFlows, type FlowPolicy } from './api6-business-flows.js';
import { secureImport, vulnerableImport, type ImportPolicy } from './api7-ssrf.js';
import {
  DEFAULT_CORS_ORIGINS,
  secureConfig,
  vulnerableConfig,
  type ConfigPolicy,
} from './api8-misconfiguration.js';
import { secureInventory, vulnerableInventory, type InventoryPolicy } from './api9-inventory.js';
import {
  secureClassifier,
  vulnerableClassifier,
  type ClassifierPolicy,
} from './api10-unsafe-consumption.js';

export interface Flaws {
  readonly objects: ObjectAccess; // API1
  readonly tokens: TokenService; // API2
  readonly login: LoginPolicy; // API2
  readonly properties: PropertyPolicy; // API3
  readonly resources: ResourcePolicy; // API4
  readonly functions: FunctionPolicy; // API5
  readonly flows: FlowPolicy; // API6
  readonly imports: ImportPolicy; // API7
  readonly config: ConfigPolicy; // API8
  readonly inventory: InventoryPolicy; // API9
  readonly classifier: ClassifierPolicy; // API10
}

export async function createFlaws(
  variant: Variant,
  options: LabOptions,
  limits: LabLimits,
  spec: LabSpec,
): Promise<Flaws> {
  if (variant === 'vulnerable') {
    return {
      objects: vulnerableObjectAccess(),
      tokens: vulnerableTokens(),
      login: vulnerableLoginPolicy(),
      properties: vulnerableProperties,
      resources: vulnerableResources,
      functions: vulnerableFunctions,
      flows: vulnerableFlows,
      imports: vulnerableImport,
      config: vulnerableConfig,
      inventory: vulnerableInventory,
      classifier: vulnerableClassifier,
    };
  }
  return {
    objects: secureObjectAccess(),
    tokens: await secureTokens(),
    login: secureLoginPolicy(limits),
    properties: secureProperties(spec),
    resources: secureResources(limits),
    functions: secureFunctions,
    flows: secureFlows(limits),
    imports: secureImport(limits, options),
    config: secureConfig(options.corsOrigins ?? DEFAULT_CORS_ORIGINS),
    inventory: secureInventory,
    classifier: secureClassifier(limits, spec),
  };
}
