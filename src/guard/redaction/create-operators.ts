import type { RedactionKeySource, RedactionOperatorName } from '../../policy/policy-types.js';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import { createEncryptOperator } from './encrypt-operator.js';
import { createHashOperator } from './hash-operator.js';
import { createMaskOperator } from './mask-operator.js';
import { createPlaceholderOperator } from './placeholder-operator.js';
import { loadRedactionKeys, type RedactionKeys } from './redaction-key.js';
import type { RedactionOperator } from './redaction-operator.js';

/**
 * Loads the redaction keys. When the policy uses `hash` or `encrypt` a missing key is an error at start-up;
 * otherwise the key is optional (it only lets `restore` decrypt tokens).
 */
export function loadKeys(options: {
  source: RedactionKeySource;
  required: boolean;
  environment: NodeJS.ProcessEnv;
}): RedactionKeys | undefined {
  try {
    return loadRedactionKeys(options.source, options.environment);
  } catch (error) {
    if (options.required) throw error;
    return undefined;
  }
}

/** The operators by name; `hash` and `encrypt` exist only when a key is loaded. */
export function createOperators(
  keys: RedactionKeys | undefined,
): (name: RedactionOperatorName) => RedactionOperator {
  const operators: Partial<Record<RedactionOperatorName, RedactionOperator>> = {
    mask: createMaskOperator(),
    placeholder: createPlaceholderOperator(),
  };
  if (keys !== undefined) {
    operators.hash = createHashOperator(keys.hash);
    operators.encrypt = createEncryptOperator(keys.encrypt);
  }
  return (name) => {
    const operator = operators[name];
    if (operator === undefined) {
      throw new AegisError(ERROR_CODES.REDACTION_KEY_MISSING, `redaction operator ${name} needs a key`);
    }
    return operator;
  };
}
