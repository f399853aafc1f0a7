export {
  type Calibration,
  type CombinedScore,
  combineSignals,
  DEFAULT_CALIBRATION,
  type SignalScore,
} from './detect/injection/combine-signals.js';
export { createInjectionDetector, type InjectionDetectorOptions } from './detect/injection.js';
export { normalizeText } from './detect/normalize.js';
export { createUnicodeDetector } from './detect/unicode.js';
export {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
} from './gateway/config/gateway-config-schema.js';
export { loadGatewayConfig, parseGatewayConfig } from './gateway/config/load-gateway-config.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway/server.js';
export { createGuard, type GuardOptions } from './guard/create-guard.js';
export type * from './guard/types.js';
export { createVault, type VaultOptions } from './guard/vault.js';
export {
  type BackendConfig,
  backendConfigSchema,
  type CreateBackendsOptions,
  createBackends,
  loadBackendConfig,
  openBackends,
  parseBackendConfig,
} from './learn/backend-config.js';
export { createLlmJudge, type LlmJudgeOptions } from './learn/llm-judge.js';
export { createModelSignal, type ModelSignalOptions } from './learn/model-signal.js';
export { createOnnxClassifier, type OnnxClassifierOptions } from './learn/onnx-classifier.js';
export { loadPolicy, presetPolicy, resolvePolicy } from './policy/load-policy.js';
export type * from './policy/policy-types.js';
export { PRESET_NAMES, REDACTION_OPERATORS } from './policy/policy-types.js';
export { DEFAULT_PRESET, PRESET_THRESHOLDS, PRESETS } from './policy/presets.js';
export * from './spec/detector.js';
export * from './spec/errors.js';
export * from './spec/finding.js';
export * from './spec/role.js';
export * from './spec/severity.js';
export * from './spec/text.js';
export * from './spec/verdict.js';
