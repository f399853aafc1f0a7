import type { Family } from '../spec/finding.js';
import type { Role } from '../spec/role.js';
import type { FamilyPolicy, Policy, PresetName, RoleScope } from './policy-types.js';

/**
 * Score thresholds of every preset, in one place. A finding scoring below its threshold is dropped.
 *
 * These are placeholders chosen by hand until the evaluation work calibrates them on validation data
 * (never on the rows that are reported). Change them here only.
 */
export const PRESET_THRESHOLDS = {
  // injection: from `npm run train` (models/MODEL_CARD.md): combined rules + model scores out-of-fold on the
  // train-ok sets held out by source; balanced = the operating point chosen there (decision at 0.5), strict =
  // 3% and permissive = 0.3% false-positive budget.
  strict: { injection: 0.4032, indirectInjection: 0.3, unicode: 0.3, pii: 0.3, secrets: 0.3, output: 0.3 },
  balanced: { injection: 0.5, indirectInjection: 0.5, unicode: 0.5, pii: 0.5, secrets: 0.5, output: 0.5 },
  permissive: {
    injection: 0.8302,
    indirectInjection: 0.7,
    unicode: 0.7,
    pii: 0.7,
    secrets: 0.6,
    output: 0.7,
  },
} as const satisfies Record<PresetName, Record<Family | 'indirectInjection', number>>;

/**
 * Which families run on each role's text. `system` is trusted (no injection or unicode check) but still
 * scanned for PII and secrets: personalisation and retrieval apps put the user's profile in the system
 * prompt, and it leaves for the provider like any other text. Its findings get the preset's PII and
 * secrets actions (redacted in `strict` and `balanced`, PII flagged in `permissive`). Applications that
 * must send it verbatim set `roles.system.families` in their policy. `assistant` text is model output and
 * also gets the output family.
 */
const ROLE_SCOPES: Readonly<Record<Role, RoleScope>> = {
  user: { families: ['unicode', 'injection', 'pii', 'secrets'] },
  system: { families: ['pii', 'secrets'] },
  document: { families: ['unicode', 'injection', 'pii', 'secrets'] },
  tool: { families: ['unicode', 'injection', 'pii', 'secrets'] },
  assistant: { families: ['unicode', 'pii', 'secrets', 'output'] },
};

/**
 * Output finding types that carry data out, run code in a browser, or leak secrets of the application;
 * blocked unless permissive. SQL and shell payloads stay flagged: answers legitimately contain code.
 * Shell exfiltration is blocked: its rules need both a credential source and a network sink, which an
 * ordinary answer does not combine, and an agent that runs the command loses the secrets at once.
 */
const HIGH_RISK_OUTPUT_TYPES = [
  'MARKDOWN_IMAGE_EXFILTRATION',
  'MARKDOWN_LINK_EXFILTRATION',
  'HTML_SCRIPT',
  'HTML_EVENT_HANDLER',
  'HTML_IFRAME',
  'HTML_EMBED',
  'HTML_FORM',
  'HTML_BASE',
  'HTML_META_REFRESH',
  'JAVASCRIPT_URL',
  'DATA_HTML_URL',
  'CANARY_LEAK',
  'SYSTEM_PROMPT_LEAK',
  'SHELL_EXFILTRATION',
] as const;

/** Invisible text that carries hidden instructions (ASCII smuggling); blocked unless permissive. */
const SMUGGLING_UNICODE_TYPES = ['TAG_CHARACTERS', 'VARIATION_SELECTOR_SMUGGLING'] as const;

function family(options: Partial<FamilyPolicy> & Pick<FamilyPolicy, 'action' | 'threshold'>): FamilyPolicy {
  return { enabled: true, failMode: 'closed', redaction: 'placeholder', types: {}, roles: {}, ...options };
}

function typeActions(types: readonly string[], action: FamilyPolicy['action']): FamilyPolicy['types'] {
  return Object.fromEntries(types.map((type) => [type, { action }]));
}

function preset(name: PresetName, families: Record<Family, FamilyPolicy>): Policy {
  return {
    name,
    families,
    roles: ROLE_SCOPES,
    allowlist: { hosts: [], values: [], patterns: [] },
    redaction: { key: { env: 'AEGIS_REDACTION_KEY' } },
    // The PII detector drops candidates below its own floor (0.5); lower it to the preset's PII
    // threshold so that a stricter policy sees the weaker findings it asks for.
    detectorOptions: { pii: { minScore: Math.min(0.5, families.pii.threshold) } },
  };
}

const strict = PRESET_THRESHOLDS.strict;
const balanced = PRESET_THRESHOLDS.balanced;
const permissive = PRESET_THRESHOLDS.permissive;

/** The built-in policies. `balanced` is the default; all fail closed. */
export const PRESETS: Readonly<Record<PresetName, Policy>> = {
  strict: preset('strict', {
    injection: family({
      action: 'block',
      threshold: strict.injection,
      roles: {
        document: { action: 'block', threshold: strict.indirectInjection },
        tool: { action: 'block', threshold: strict.indirectInjection },
      },
    }),
    unicode: family({ action: 'block', threshold: strict.unicode }),
    pii: family({ action: 'redact', threshold: strict.pii }),
    secrets: family({ action: 'block', threshold: strict.secrets }),
    output: family({ action: 'block', threshold: strict.output }),
  }),
  balanced: preset('balanced', {
    injection: family({
      action: 'block',
      threshold: balanced.injection,
      roles: {
        document: { action: 'block', threshold: balanced.indirectInjection },
        tool: { action: 'block', threshold: balanced.indirectInjection },
      },
    }),
    unicode: family({
      action: 'flag',
      threshold: balanced.unicode,
      types: typeActions(SMUGGLING_UNICODE_TYPES, 'block'),
    }),
    pii: family({ action: 'redact', threshold: balanced.pii }),
    secrets: family({ action: 'redact', threshold: balanced.secrets }),
    output: family({
      action: 'flag',
      threshold: balanced.output,
      types: typeActions(HIGH_RISK_OUTPUT_TYPES, 'block'),
    }),
  }),
  permissive: preset('permissive', {
    injection: family({
      action: 'flag',
      threshold: permissive.injection,
      roles: {
        document: { action: 'flag', threshold: permissive.indirectInjection },
        tool: { action: 'flag', threshold: permissive.indirectInjection },
      },
    }),
    unicode: family({ action: 'flag', threshold: permissive.unicode }),
    pii: family({ action: 'flag', threshold: permissive.pii }),
    secrets: family({ action: 'redact', threshold: permissive.secrets }),
    output: family({ action: 'flag', threshold: permissive.output }),
  }),
};

/** The preset used when no policy is given. */
export const DEFAULT_PRESET: PresetName = 'balanced';
