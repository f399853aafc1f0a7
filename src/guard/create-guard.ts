import { normalizeText } from '../detect/normalize.js';
import { BUILTIN_DETECTORS } from '../detect/registry.js';
import { learnedDetectorOptions } from '../learn/model-calibration.js';
import { presetPolicy, resolvePolicy } from '../policy/load-policy.js';
import type { Policy, PresetName } from '../policy/policy-types.js';
import type { AsyncDetector, Detector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { FAMILIES, type Finding } from '../spec/finding.js';
import { type GuardMessage, ROLES, type Role } from '../spec/role.js';
import type { Normalizer } from '../spec/text.js';
import type { Verdict } from '../spec/verdict.js';
import { applyRedactions } from './apply-redactions.js';
import {
  buildContext,
  type Collected,
  type CollectOptions,
  collectAsyncFindings,
  collectFindings,
} from './collect-findings.js';
import { compilePolicy } from './compile-policy.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { createCacheContexts, createFindingsCache, type FindingsCacheOptions } from './findings-cache.js';
import { judgeFindings } from './judge-findings.js';
import { mergeVerdicts } from './merge-verdicts.js';
import { createOperators, loadKeys } from './redaction/create-operators.js';
import { decryptTokens } from './redaction/encrypt-operator.js';
import { selectDetectors } from './select-detectors.js';
import type { CheckOptions, Guard, RedactResult, Vault } from './types.js';
import { assertMessages, roleOf } from './validate-input.js';
import { createVault } from './vault.js';

/** Options of `createGuard`. */
export interface GuardOptions {
  /** A resolved policy, a preset name, or a policy object to resolve (default `balanced`). */
  policy?: Policy | PresetName | Record<string, unknown>;
  /** Detectors to run instead of the built-ins. */
  detectors?: readonly Detector[];
  /** Detectors with I/O (local model, LLM judge), run by `checkAsync` only. */
  asyncDetectors?: readonly AsyncDetector[];
  /** Builds the normalized view shared by the detectors of one text (default: NFKC + confusables). */
  normalize?: Normalizer;
  /** Where redaction keys are read from (default `process.env`). */
  environment?: NodeJS.ProcessEnv;
  /** Reuse findings of texts seen recently (conversation history re-sent every turn); `false` disables. */
  cache?: FindingsCacheOptions | false;
}

function resolveGuardPolicy(policy: GuardOptions['policy']): Policy {
  if (policy === undefined) return presetPolicy('balanced');
  if (typeof policy === 'string') return presetPolicy(policy);
  return resolvePolicy(policy);
}

/** Creates a guard: detectors plus policy, with a default conversation vault. */
export function createGuard(options: GuardOptions = {}): Guard {
  const policy = resolveGuardPolicy(options.policy);
  const compiled = compilePolicy(policy);
  const detectors =
    options.detectors ??
    BUILTIN_DETECTORS.map((entry) =>
      // Learned signals (the shipped model, when its weights file exists) join the policy's options.
      entry.create({ ...learnedDetectorOptions()[entry.id], ...policy.detectorOptions[entry.id] }),
    );
  const asyncDetectors = options.asyncDetectors ?? [];
  const normalize = options.normalize ?? normalizeText;
  const keys = loadKeys({
    source: policy.redaction.key,
    required: compiled.needsKey,
    environment: options.environment ?? process.env,
  });
  const operatorFor = createOperators(keys);
  const defaultVault = createVault();
  const known = new Set<string>([
    ...FAMILIES,
    ...[...detectors, ...asyncDetectors].map((detector) => detector.id),
  ]);
  // Per-role detector lists are computed once; only an explicit `detectors` filter selects per call.
  const byRole = new Map<Role, { sync: readonly Detector[]; async: readonly AsyncDetector[] }>(
    ROLES.map((role) => [
      role,
      {
        sync: selectDetectors({ detectors, role, policy: compiled, only: undefined, known }),
        async: selectDetectors({ detectors: asyncDetectors, role, policy: compiled, only: undefined, known }),
      },
    ]),
  );

  const prepare = (
    text: string,
    role: Role,
    checkOptions: CheckOptions,
  ): CollectOptions & { asyncDetectors: readonly AsyncDetector[] } => ({
    text,
    role,
    detectors:
      checkOptions.detectors === undefined
        ? byRole.get(role)!.sync
        : selectDetectors({ detectors, role, policy: compiled, only: checkOptions.detectors, known }),
    asyncDetectors:
      checkOptions.detectors === undefined
        ? byRole.get(role)!.async
        : selectDetectors({
            detectors: asyncDetectors,
            role,
            policy: compiled,
            only: checkOptions.detectors,
            known,
          }),
    normalize,
    context: {
      systemPrompt: checkOptions.systemPrompt,
      canaries: checkOptions.canaries,
      allowedHosts: policy.allowlist.hosts,
    },
  });

  const finish = (text: string, role: Role, collected: Collected, vault: Vault): Verdict =>
    judgeFindings({ policy: compiled, role, text, collected, vault, operatorFor });

  const cache = options.cache === false ? undefined : createFindingsCache(options.cache);
  const cacheContext = createCacheContexts();

  const checkText = (text: string, role: Role, checkOptions: CheckOptions, vault: Vault): Verdict => {
    const prepared = prepare(text, role, checkOptions);
    if (prepared.detectors.length === 0) return { action: 'allow', findings: [], score: 0, reasons: [] };
    const context =
      cache === undefined
        ? undefined
        : cacheContext({
            role,
            detectors: checkOptions.detectors,
            systemPrompt: checkOptions.systemPrompt,
            canaries: checkOptions.canaries,
          });
    const cached = context === undefined ? undefined : cache?.get(text, context);
    if (cached !== undefined) return finish(text, role, { findings: cached as Finding[], errors: [] }, vault);
    const collected = collectFindings(prepared, buildContext(prepared));
    if (context !== undefined && collected.errors.length === 0) cache?.set(text, collected.findings, context);
    return finish(text, role, collected, vault);
  };

  const checkTextAsync = async (
    text: string,
    role: Role,
    checkOptions: CheckOptions,
    vault: Vault,
  ): Promise<Verdict> => {
    const prepared = prepare(text, role, checkOptions);
    if (prepared.detectors.length === 0 && prepared.asyncDetectors.length === 0) {
      return { action: 'allow', findings: [], score: 0, reasons: [] };
    }
    const context = buildContext(prepared);
    const collected = collectFindings(prepared, context);
    await collectAsyncFindings({ detectors: prepared.asyncDetectors, text, context, collected });
    return finish(text, role, collected, vault);
  };

  const check = (input: string | readonly GuardMessage[], checkOptions: CheckOptions = {}): Verdict => {
    const vault = checkOptions.vault ?? defaultVault;
    if (typeof input === 'string') return checkText(input, roleOf(checkOptions), checkOptions, vault);
    assertMessages(input);
    return mergeVerdicts(
      input,
      input.map((message) => checkText(message.content, message.role, checkOptions, vault)),
    );
  };

  return {
    check,
    async checkAsync(input, checkOptions = {}) {
      const vault = checkOptions.vault ?? defaultVault;
      if (typeof input === 'string')
        return checkTextAsync(input, checkOptions.role ?? 'user', checkOptions, vault);
      assertMessages(input);
      const verdicts: Verdict[] = [];
      for (const message of input)
        verdicts.push(await checkTextAsync(message.content, message.role, checkOptions, vault));
      return mergeVerdicts(input, verdicts);
    },
    redact(text, checkOptions = {}): RedactResult {
      if (typeof text !== 'string')
        throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'redact expects a string');
      const role = roleOf(checkOptions);
      const vault = checkOptions.vault ?? defaultVault;
      const prepared = prepare(text, role, checkOptions);
      if (prepared.detectors.length === 0) return { text, findings: [] };
      const collected = collectFindings(prepared, buildContext(prepared));
      const failed = collected.errors.find((error) => compiled.rules[role][error.family].failClosed);
      if (failed !== undefined) {
        throw new AegisError(
          ERROR_CODES.DETECTOR_FAILED,
          `detector ${failed.detector} failed; refusing to return unredacted text`,
          {
            details: { detector: failed.detector, code: failed.code },
          },
        );
      }
      const evaluation = evaluatePolicy({ policy: compiled, role, text, findings: collected.findings });
      const findings: Finding[] = [];
      const spans = [];
      for (let index = 0; index < evaluation.kept.length; index++) {
        const finding = evaluation.kept[index]!;
        if (finding.family !== 'pii' && finding.family !== 'secrets') continue;
        findings.push(finding);
        spans.push({ finding, operator: operatorFor(evaluation.rules[index]!.operator) });
      }
      return { text: applyRedactions({ text, spans, vault }), findings };
    },
    restore(text, restoreOptions = {}) {
      const restored = (restoreOptions.vault ?? defaultVault).restore(text);
      return keys === undefined ? restored : decryptTokens(restored, keys.encrypt);
    },
    createVault: () => createVault(),
  };
}
