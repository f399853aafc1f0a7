export type * from './guard/types.js';
export * from './spec/detector.js';
export * from './spec/errors.js';
export * from './spec/finding.js';
export * from './spec/role.js';
export * from './spec/severity.js';
export * from './spec/text.js';
export * from './spec/verdict.js';
