import type { RedactionOperator } from './redaction-operator.js';

/** Replaces a value with a typed, numbered placeholder (`<EMAIL_ADDRESS_1>`) kept in the vault. */
export function createPlaceholderOperator(): RedactionOperator {
  return {
    name: 'placeholder',
    apply: ({ type, value, vault }) => vault.placeholderFor(type, value),
  };
}
