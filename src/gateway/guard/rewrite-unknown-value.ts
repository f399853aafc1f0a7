import type { ResponseGuard } from './response-guard.js';

/**
 * Members whose values are structure the provider writes (types, states, roles, why a turn ended), not
 * text: a value made only of lowercase words (`output_text`, `in_progress`, `response.output_text.delta`)
 * is left as sent, and so is a member name of that form. Such a string cannot carry anything the output
 * check looks for: no digit, capital, space, `@`, `/`, `:`, `<` or `=`, so no key or token (every provider
 * key format mixes digits or capitals), no address, number, link, markup, command or placeholder, and
 * nothing long enough to repeat a system prompt. Any other value there (`AKIA…` written into `status`, a
 * link in `type`, a versioned `text_editor_20250124`) is checked like text. Ids (`id`, `*_id`) are always
 * checked: they are random, so no pattern tells an id from a key; a short text found clean is remembered
 * per response (`ResponseGuard.wholeText`), so an id repeated in every event is checked once. `name` is
 * not structural: it is checked as text, and the `name` of the value itself goes through the tool
 * allowlist.
 */
const STRUCTURAL_MEMBERS: ReadonlyMap<string, true> = new Map(
  ['type', 'status', 'role', 'object', 'stop_reason', 'finish_reason'].map((key): [string, true] => [
    key,
    true,
  ]),
);
/** Lowercase words joined by `_`, `.` or `-` (bounded, so no backtracking blow-up). */
const PLAIN_WORDS = /^[a-z]{1,32}(?:[._-][a-z]{1,32}){0,7}$/;
/** True for a string of lowercase words (`assistant`, `in_progress`): one that carries nothing to check. */
export function isPlainWords(text: string): boolean {
  return PLAIN_WORDS.test(text);
}

/** A string that is one absolute URL: checked as an autolink, so the output checker's link rules apply. */
const URL_STRING = /^https?:\/\/[^\s<>]{1,8192}$/i;

/**
 * Members of a known record that the code for its type checks itself, so the walk of the record's other
 * members leaves them alone: `text` when that code checks the member as a string (any other value there
 * is walked, so a shape the code does not expect is still checked), `skip` when it is checked another
 * way or left as sent on purpose (encrypted or media bytes), a nested spec for the record the member holds
 * (or each record of the array it holds), whose other members are walked. Two kinds describe documented
 * values that carry nothing to check: `word` for a setting the API documents as one of a few lowercase
 * words (`service_tier: "default"`), left as sent when it is plain words (see `PLAIN_WORDS`) and walked
 * otherwise; `number` for a documented number (`created`, a time stamp in seconds), left as sent when it
 * is a number other than an integer of more than 10 digits, walked otherwise. A member the spec does not
 * name is walked like any member of an unknown value.
 */
export type HandledMembers = {
  readonly [member: string]: 'text' | 'skip' | 'word' | 'number' | HandledMembers;
};

/** Bounds of one walk: beyond any of them the value is not checked and the response fails closed. */
export interface UnknownValueLimits {
  /** Deepest nesting of objects and arrays below the value. */
  maxDepth: number;
  /** Most strings (values and member names) checked. */
  maxStrings: number;
  /** Most characters checked in all. */
  maxChars: number;
}

/** Default bounds: far above any item a provider documents, far below what could stall the gateway. */
export const UNKNOWN_VALUE_LIMITS: UnknownValueLimits = Object.freeze({
  maxDepth: 32,
  maxStrings: 20_000,
  maxChars: 4_000_000,
});

/**
 * Checks and restores one string found at `path` (`content.0.text`; `tools.1{}` for a member name); null
 * stops. `kind` is `json` for a string that is itself JSON (arguments), so restored values are escaped.
 */
export type RewriteUnknownString = (path: string, text: string, kind: 'text' | 'json') => string | null;

/** True for a string that holds a JSON object or array. */
function isJsonText(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first !== 123 && first !== 91) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Integers from this size up are checked as text: card, account and phone numbers (9 digits and more)
 * redacted in a string must not pass written as a JSON number. Smaller numbers (counts, indexes, scores)
 * carry none of them. A number whose check changes it leaves as the checked string.
 */
const CHECKED_NUMBER_FROM = 100_000_000;

/** True for a number the walk checks as text (see `CHECKED_NUMBER_FROM`). */
function isCheckedNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= CHECKED_NUMBER_FROM;
}

function isStructural(key: string, value: string): boolean {
  return STRUCTURAL_MEMBERS.has(key) && PLAIN_WORDS.test(value);
}

/**
 * Integers up to 10 digits: a time stamp in seconds (until the year 2286) where the spec says `number`.
 * Longer ones (a card or account number) are checked as text there too.
 */
const PLAIN_NUMBER_BELOW = 10_000_000_000;

/** True when a member the spec names is left as sent: handled by its own code, or a documented value. */
function passesAsHandled(handled: HandledMembers[string] | undefined, value: unknown): boolean {
  switch (handled) {
    case 'skip':
      return true;
    case 'text':
      return typeof value === 'string';
    case 'word':
      return typeof value === 'string' && PLAIN_WORDS.test(value);
    case 'number':
      return typeof value === 'number' && (!Number.isInteger(value) || Math.abs(value) < PLAIN_NUMBER_BELOW);
    default:
      return false;
  }
}

/**
 * True when a known record holds nothing to check besides its `handled` members: every other member has a
 * plain-word name and an empty value (null, a number, a boolean, `[]`) or is a structural plain word. The
 * usual answer (`{role: 'assistant', content: '…'}`) is decided here, without setting up a walk; anything
 * else is walked.
 */
function nothingToWalk(record: Record<string, unknown>, handled: HandledMembers): boolean {
  for (const key of Object.keys(record)) {
    const value = record[key];
    const spec = Object.hasOwn(handled, key) ? handled[key] : undefined;
    if (passesAsHandled(spec, value)) continue;
    if (!PLAIN_WORDS.test(key)) return false;
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number' && !isCheckedNumber(value)) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'string' && isStructural(key, value)) continue;
    return false;
  }
  return true;
}

/**
 * Short strings side by side are also checked as one value split over them (`ResponseGuard.splitValue`,
 * see `checkSplitValue`): the elements of an array, the walked members of one object, after each was
 * checked alone and only those that check left as sent (a piece that held a whole key is redacted on its
 * own; a restored placeholder is the caller's own text). A piece is at most `PIECE_MAX_CHARS` long (ids,
 * states, tags and the pieces of a split key are shorter; a longer string is text checked on its own);
 * pieces are joined in groups of at most `JOINED_MAX_CHARS`, in the order they are written, and count
 * toward the walk's bounds. Not covered: a value split across member names, across different objects (one
 * character per element of an array of objects), across groups, over pieces longer than the bound, or in
 * an order other than the written one; and anything an upstream encodes in a way only its own client
 * reads (base64, a cipher).
 */
const PIECE_MAX_CHARS = 48;
const JOINED_MAX_CHARS = 4096;

function isPiece(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= PIECE_MAX_CHARS;
}

/** What a walk step gives back when the response must stop (a violation, or a bound passed). */
const STOP = Symbol('stop');

/**
 * Checks every string of a value whose shape the gateway does not know (an output item or content block
 * type added by a provider after this code was written, or the members of a known item that its own code
 * does not handle: `handled`): member values and member names at any depth, with the same whole-text
 * check as known members, placeholders restored in place (JSON-escaped in a string that is itself JSON).
 * A string that is one URL is checked as a link (`<url>`); structural members (`type`, `status`, `role`,
 * `object`) made of lowercase words, and member names made of lowercase words, are left as sent (see
 * `STRUCTURAL_MEMBERS`); a string `name` of the value itself must pass the tool allowlist (`allowTool`),
 * since a new item type may well call a tool. The walk is bounded (`limits`): past a bound the response
 * fails closed (`guard.uncheckable`), as nothing unchecked may leave. Returns false when the response
 * must stop.
 */
export function rewriteUnknownValue(options: {
  guard: ResponseGuard;
  record: Record<string, unknown>;
  rewrite: RewriteUnknownString;
  /** The tool allowlist, for the value's own `name`; omitted when a name there is not a tool's. */
  allowTool?: (name: string) => boolean;
  /** Members of a known record that its own code checked (or leaves as sent): not walked again. */
  handled?: HandledMembers;
  limits?: UnknownValueLimits;
}): boolean {
  const { record, rewrite } = options;
  if (
    options.handled !== undefined &&
    options.allowTool === undefined &&
    nothingToWalk(record, options.handled)
  )
    return true;
  const limits = options.limits ?? UNKNOWN_VALUE_LIMITS;
  let strings = 0;
  let chars = 0;
  let tooLarge = false;
  /** Member names repeat (`type`, `description` in every schema): each distinct one is checked once. */
  const names = new Map<string, string>();

  function check(path: string, text: string): string | typeof STOP {
    strings++;
    chars += text.length;
    if (strings > limits.maxStrings || chars > limits.maxChars) {
      tooLarge = true;
      return STOP;
    }
    if (text.length === 0) return text;
    if (!URL_STRING.test(text)) return rewrite(path, text, isJsonText(text) ? 'json' : 'text') ?? STOP;
    const checked = rewrite(path, `<${text}>`, 'text');
    if (checked === null) return STOP;
    return checked.startsWith('<') && checked.endsWith('>') ? checked.slice(1, -1) : checked;
  }

  /**
   * Checks `pieces` as split values, in groups of at most `JOINED_MAX_CHARS`, and puts back the pieces a
   * redaction changed (`assign`). False when the response must stop.
   */
  function checkPieces(pieces: readonly string[], assign: (index: number, piece: string) => void): boolean {
    let from = 0;
    while (from < pieces.length) {
      let to = from;
      let length = 0;
      while (to < pieces.length && length + (pieces[to] as string).length <= JOINED_MAX_CHARS)
        length += (pieces[to++] as string).length;
      strings++;
      chars += length;
      if (strings > limits.maxStrings || chars > limits.maxChars) {
        tooLarge = true;
        return false;
      }
      if (to - from >= 2) {
        const group = pieces.slice(from, to);
        const checked = options.guard.splitValue(group);
        if (checked === null) return false;
        if (checked !== group)
          for (let index = 0; index < group.length; index++)
            if (checked[index] !== group[index]) assign(from + index, checked[index] as string);
      }
      from = to;
    }
    return true;
  }

  /** The checked form of a member name: lowercase words carry nothing to check (see `PLAIN_WORDS`). */
  function checkName(path: string, key: string): string | typeof STOP {
    let name = names.get(key);
    if (name !== undefined) return name;
    if (PLAIN_WORDS.test(key)) name = key;
    else {
      const checked = check(`${path}{}`, key);
      if (checked === STOP) return STOP;
      name = checked;
    }
    names.set(key, name);
    return name;
  }

  /** The checked form of a value (changed in place when it is an object), or STOP. */
  function walk(value: unknown, path: string, depth: number, spec?: HandledMembers): unknown {
    if (typeof value === 'string') return check(path, value);
    if (isCheckedNumber(value)) {
      const text = String(value);
      const checked = check(path, text);
      return checked === text ? value : checked;
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth >= limits.maxDepth) {
      tooLarge = true;
      return STOP;
    }
    if (!Array.isArray(value)) return walkRecord(value as Record<string, unknown>, path, depth, spec);
    /** Elements that are short strings the check left as sent: also checked as one split value. */
    let pieces: number[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const element: unknown = value[index];
      const checked = walk(element, `${path}.${index}`, depth + 1, spec);
      if (checked === STOP) return STOP;
      value[index] = checked;
      if (checked === element && isPiece(element)) {
        pieces ??= [];
        pieces.push(index);
      }
    }
    if (pieces === undefined || pieces.length < 2) return value;
    const at = pieces;
    const whole = checkPieces(
      at.map((index) => value[index] as string),
      (index, piece) => {
        value[at[index] as number] = piece;
      },
    );
    return whole ? value : STOP;
  }

  function walkRecord(
    target: Record<string, unknown>,
    path: string,
    depth: number,
    spec?: HandledMembers,
  ): unknown {
    let renamed: [string, unknown][] | undefined;
    const keys = Object.keys(target);
    /** Positions of walked members that are short strings the check left as sent (split values). */
    let pieces: number[] | undefined;
    for (const [position, key] of keys.entries()) {
      const value = target[key];
      // Own members only: a spec is a plain literal, so `constructor` or `__proto__` never match.
      const handled = spec !== undefined && Object.hasOwn(spec, key) ? spec[key] : undefined;
      if (passesAsHandled(handled, value)) {
        if (renamed !== undefined) renamed.push([key, value]);
        continue;
      }
      const at = path.length === 0 ? key : `${path}.${key}`;
      const name = handled === undefined ? checkName(at, key) : key;
      if (name === STOP) return STOP;
      let checked: unknown = value;
      if (typeof value !== 'string' || !isStructural(key, value)) {
        checked = walk(value, at, depth + 1, typeof handled === 'object' ? handled : undefined);
        if (checked === STOP) return STOP;
        if (checked === value && isPiece(value)) {
          pieces ??= [];
          pieces.push(position);
        }
      }
      if (name !== key) renamed ??= keys.slice(0, position).map((earlier) => [earlier, target[earlier]]);
      if (renamed !== undefined) renamed.push([name, checked]);
      else target[key] = checked;
    }
    if (pieces !== undefined && pieces.length >= 2) {
      // One entry per member, in order, once `renamed` is in use.
      const at = pieces;
      const entries = renamed;
      const whole = checkPieces(
        at.map(
          (position) =>
            (entries === undefined ? target[keys[position] as string] : entries[position]?.[1]) as string,
        ),
        (index, piece) => {
          const position = at[index] as number;
          const entry = entries?.[position];
          if (entry !== undefined) entry[1] = piece;
          else target[keys[position] as string] = piece;
        },
      );
      if (!whole) return STOP;
    }
    if (renamed === undefined) return target;
    // A member name changed (redacted or restored): the record is rebuilt in order. Defined, not
    // assigned, so a name such as `__proto__` stays an ordinary member.
    for (const key of keys) delete target[key];
    for (const [key, value] of renamed)
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return target;
  }

  if (options.allowTool !== undefined && typeof record.name === 'string' && !options.allowTool(record.name))
    return false;
  if (walkRecord(record, '', 0, options.handled) !== STOP) return true;
  if (!tooLarge) return false;
  const bounds = `depth ${limits.maxDepth}, ${limits.maxStrings} strings, ${limits.maxChars} characters`;
  return options.guard.uncheckable(
    `output the gateway does not know (a new item, block or member) exceeds the limits of the output check (${bounds})`,
  );
}
