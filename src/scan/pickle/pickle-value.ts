import type { GlobalClass } from './classify-global.js';

/**
 * What the emulator tracks about a stack or memo value. Only what decides safety is kept: strings
 * (they become STACK_GLOBAL names), imported globals, calls with their arguments, and tuples. Numbers,
 * lists and dicts collapse to shared placeholders so memory stays proportional to the structure, not
 * to the data.
 */
export type PickleValue =
  | string
  | number
  | { kind: 'long-string' }
  | { kind: 'other-text' }
  | { kind: 'dict'; entries: Map<string, PickleValue> }
  | { kind: 'bytes'; data: Uint8Array | null; offset: number }
  | { kind: 'global'; qualified: string; verdict: GlobalClass }
  | { kind: 'call'; callee: PickleValue; args: PickleValue }
  | { kind: 'tuple'; items: PickleValue[] }
  | { kind: 'scalar' }
  | { kind: 'container' }
  | { kind: 'unknown' };

/** Shared placeholders: numbers and containers whose content does not decide safety. */
export const SCALAR: PickleValue = { kind: 'scalar' };
export const CONTAINER: PickleValue = { kind: 'container' };
export const UNKNOWN: PickleValue = { kind: 'unknown' };
export const LONG_STRING: PickleValue = { kind: 'long-string' };
/** Text that cannot be a module or attribute name (starts with a digit, space, punctuation…): not decoded. */
export const OTHER_TEXT: PickleValue = { kind: 'other-text' };
export const INERT_TUPLE: PickleValue = { kind: 'tuple', items: [SCALAR] };
export const EMPTY_TUPLE: PickleValue = { kind: 'tuple', items: [] };

/** Records a string-keyed entry of a tracked dict (bounded: only small state dicts matter). */
export function setEntry(
  dict: { entries: Map<string, PickleValue> },
  key: PickleValue,
  value: PickleValue,
): void {
  if (typeof key === 'string' && dict.entries.size < 64) dict.entries.set(key, value);
}

/** The kind of a value; text values are plain strings to save an object per string. */
export function kindOf(value: PickleValue): string {
  if (typeof value === 'string') return 'string';
  return typeof value === 'number' ? 'int' : value.kind;
}

/**
 * Tuples are kept only when they can matter: as call arguments holding strings, bytes or globals
 * (the _codecs and functools.partial checks). Shapes, strides and other plain tuples share one value,
 * which keeps allocation (and GC time) low on large state dicts.
 */
export function tupleOf(items: PickleValue[], keepNumbers = false): PickleValue {
  if (keepNumbers && items.length <= 32 && items.every((item) => typeof item === 'number'))
    return { kind: 'tuple', items };
  for (const item of items) if (!isInert(item)) return { kind: 'tuple', items };
  return items.length === 0 ? EMPTY_TUPLE : INERT_TUPLE;
}

/** True for values that cannot name or carry code (numbers, placeholders, tuples of those). */
export function isInert(value: PickleValue): boolean {
  if (typeof value === 'string') return false;
  if (typeof value === 'number') return true;
  const kind = value.kind;
  return kind !== 'global' && kind !== 'bytes' && kind !== 'long-string' && kind !== 'other-text';
}
