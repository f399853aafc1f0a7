import { CHAT_RULES } from './chat.js';
import { CLOUD_RULES } from './cloud.js';
import { DATABASE_RULES } from './database.js';
import { LLM_RULES } from './llm.js';
import { PAYMENT_RULES } from './payment.js';
import { SAAS_RULES } from './saas.js';
import type { SecretRule } from './secret-rule.js';
import { VCS_CI_RULES } from './vcs-ci.js';

/** Every provider key format, grouped by kind in their own data files. */
export const PROVIDER_RULES: readonly SecretRule[] = [
  ...CLOUD_RULES,
  ...VCS_CI_RULES,
  ...PAYMENT_RULES,
  ...CHAT_RULES,
  ...LLM_RULES,
  ...DATABASE_RULES,
  ...SAAS_RULES,
];
