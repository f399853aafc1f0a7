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
  | { kind: 'bytes' }
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
export const EMPTY_TUPLE: PickleValue = { kind: 'tuple', items: [] };
export const INERT_TUPLE: PickleValue = { kind: 'tuple', items: [SCALAR] };
/** A bytes or bytearray value (payloads that hold a pickle are scanned when read, never kept). */
export const BYTES: PickleValue = { kind: 'bytes' };
// Tuples whose content cannot satisfy the _codecs idiom nor name what functools.partial wraps keep
// only the kind of their first item (all the partial finding reports); one shared value per kind.
const STRING_FIRST_TUPLE: PickleValue = { kind: 'tuple', items: [''] };
const OTHER_TEXT_FIRST_TUPLE: PickleValue = { kind: 'tuple', items: [OTHER_TEXT] };
const LONG_STRING_FIRST_TUPLE: PickleValue = { kind: 'tuple', items: [LONG_STRING] };
const BYTES_FIRST_TUPLE: PickleValue = { kind: 'tuple', items: [BYTES] };
const CALL_FIRST_TUPLE: PickleValue = {
  kind: 'tuple',
  items: [{ kind: 'call', callee: UNKNOWN, args: EMPTY_TUPLE }],
};
const TUPLE_FIRST_TUPLE: PickleValue = { kind: 'tuple', items: [EMPTY_TUPLE] };
const UNKNOWN_FIRST_TUPLE: PickleValue = { kind: 'tuple', items: [UNKNOWN] };

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
 * Tuples are kept only when they can matter as call arguments: a global first (what functools.partial
 * wraps) or a `(text, "latin1")` pair (the _codecs.encode idiom). Any other tuple fails both checks
 * whatever it holds, so it becomes a shared value that remembers only the kind of its first item; this
 * keeps allocation (and the GC time of values the memo keeps alive) low on large state dicts. With
 * `keepAll` (joblib arrays tracked) tuples keep their items: shapes and dtype arguments are read.
 */
export function tupleOf(items: PickleValue[], keepAll = false): PickleValue {
  if (keepAll) {
    if (items.length <= 32 && items.every((item) => typeof item === 'number'))
      return { kind: 'tuple', items };
    for (const item of items) if (!isInert(item)) return { kind: 'tuple', items };
    return items.length === 0 ? EMPTY_TUPLE : INERT_TUPLE;
  }
  const first = items[0];
  if (first === undefined) return EMPTY_TUPLE;
  if (mustKeepTuple(first, items[1], items.length)) return { kind: 'tuple', items };
  return sharedTupleStartingWith(first);
}

/** True when a tuple of `length` items starting with `first`, `second` can pass a call-argument check. */
export function mustKeepTuple(first: PickleValue, second: PickleValue | undefined, length: number): boolean {
  if (typeof first === 'object' && first.kind === 'global') return true;
  return length === 2 && (second === 'latin1' || second === 'latin-1');
}

/** The shared tuple standing for any tuple whose first item is `first` (not a global). */
export function sharedTupleStartingWith(first: PickleValue): PickleValue {
  if (typeof first === 'string') return STRING_FIRST_TUPLE;
  if (typeof first === 'number') return INERT_TUPLE;
  switch (first.kind) {
    case 'other-text':
      return OTHER_TEXT_FIRST_TUPLE;
    case 'long-string':
      return LONG_STRING_FIRST_TUPLE;
    case 'bytes':
      return BYTES_FIRST_TUPLE;
    case 'call':
      return CALL_FIRST_TUPLE;
    case 'tuple':
      return TUPLE_FIRST_TUPLE;
    case 'unknown':
      return UNKNOWN_FIRST_TUPLE;
    default:
      return INERT_TUPLE;
  }
}

/** True for values that cannot name or carry code (numbers, placeholders, tuples of those). */
export function isInert(value: PickleValue): boolean {
  if (typeof value === 'string') return false;
  if (typeof value === 'number') return true;
  const kind = value.kind;
  return kind !== 'global' && kind !== 'bytes' && kind !== 'long-string' && kind !== 'other-text';
}
