import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { Family } from '../spec/finding.js';
import type { Role } from '../spec/role.js';
import type { CompiledPolicy } from './compile-policy.js';

/**
 * The detectors to run on text of `role`: those whose family the policy runs for that role. When `only`
 * lists detector ids or families, exactly those run (for any role), provided their family is enabled.
 */
export function selectDetectors<T extends { id: string; family: Family }>(options: {
  detectors: readonly T[];
  role: Role;
  policy: CompiledPolicy;
  only: readonly string[] | undefined;
  known: ReadonlySet<string>;
}): readonly T[] {
  const { detectors, role, policy, only } = options;
  if (only === undefined) {
    const families = policy.familiesByRole[role];
    return detectors.filter((detector) => families.has(detector.family));
  }
  for (const name of only) {
    if (!options.known.has(name)) {
      throw new AegisError(ERROR_CODES.DETECTOR_UNKNOWN, `unknown detector or family "${name}"`, {
        details: { detector: name, known: [...options.known] },
      });
    }
  }
  return detectors.filter(
    (detector) =>
      (only.includes(detector.id) || only.includes(detector.family)) &&
      policy.rules[role][detector.family].enabled,
  );
}
