import type { RedactionOperator } from './redaction-operator.js';

/** Replaces every character with `*`, keeping the length so layouts and columns survive. */
export function createMaskOperator(): RedactionOperator {
  return {
    name: 'mask',
    apply: ({ value }) => '*'.repeat(Array.from(value).length),
  };
}
