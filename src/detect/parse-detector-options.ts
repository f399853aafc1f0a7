import type { z } from 'zod';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** Validates a detector's options with its strict schema; the error names the detector and the bad key. */
export function parseDetectorOptions<Schema extends z.ZodType>(input: {
  detector: string;
  schema: Schema;
  options: unknown;
}): z.infer<Schema> {
  const parsed = input.schema.safeParse(input.options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : '');
  throw new AegisError(
    ERROR_CODES.CONFIG_INVALID,
    `${input.detector} detector options: ${key}: ${issue?.message}`,
    {
      details: { detector: input.detector, key },
    },
  );
}
