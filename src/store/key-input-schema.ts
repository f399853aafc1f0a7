import { z } from 'zod';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

const limit = z.number().int().positive().max(1_000_000_000_000).nullable().optional();
const names = z
  .array(
    z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w.:/@-]{1,200}$/, 'letters, digits and . _ : / @ - only'),
  )
  .max(500)
  .nullable()
  .optional();

/** What an operator may set when creating a key. Absent or null limits mean "no limit". */
export const createKeyInputSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\w .:@-]{1,100}$/, 'letters, digits, space and . _ : @ - only'),
    /** Models this key may call; null or absent means every model. */
    models: names,
    rpm: limit,
    tpm: limit,
    concurrency: limit,
    dailyTokens: limit,
    /** Tool names this key may declare or call; null or absent means no restriction. */
    tools: names,
  })
  .strict();

/** Validated input of `keyStore.create`. */
export type CreateKeyInput = z.infer<typeof createKeyInputSchema>;

/** Validates key-creation input at the edge (CLI flags, admin HTTP body). */
export function parseCreateKeyInput(value: unknown): CreateKeyInput {
  const result = createKeyInputSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'input';
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `invalid key settings: ${where}: ${issue?.message}`, {
      details: { field: where },
    });
  }
  return result.data;
}
