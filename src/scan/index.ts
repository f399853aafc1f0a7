/** Public surface of the model scanner (used by the CLI and by the AI-BOM in src/sign). */
export { DEFAULT_LIMITS, type ScanLimits } from './limits.js';
export { renderJson } from './report/render-json.js';
export { type RenderSarifOptions, renderSarif } from './report/render-sarif.js';
export { type RenderTextOptions, renderText } from './report/render-text.js';
export { RULES, ruleById, type ScanRule } from './rules.js';
export { type ScanOptions, scanFile, scanPaths } from './scan-paths.js';
export type { FileReport, ScanEvent, ScanFinding, ScanReport, ScanSummary, ScanVerdict } from './types.js';
export { verdictOf } from './verdict.js';
