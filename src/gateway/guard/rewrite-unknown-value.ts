import type { ResponseGuard } from './response-guard.js';

/**
 * Members whose values are structure the provider writes (ids, types, states, roles), not text: a short
 * identifier in them is left as sent. Anything longer or with other characters is checked like text, so a
 * member name cannot smuggle data past the guard. `name` is not among them: it is checked as text, and the
 * `name` of the value itself also goes through the tool allowlist.
 */
const STRUCTURAL_MEMBERS = new Set(['id', 'type', 'status', 'role', 'object']);
const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,128}$/;
/** A string that is one absolute URL: checked as an autolink, so the output checker's link rules apply. */
const URL_STRING = /^https?:\/\/[^\s<>]{1,8192}$/i;

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

function isStructural(key: string, value: string): boolean {
  return (STRUCTURAL_MEMBERS.has(key) || key.endsWith('_id')) && IDENTIFIER.test(value);
}

/** What a walk step gives back when the response must stop (a violation, or a bound passed). */
const STOP = Symbol('stop');

/**
 * Checks every string of a value whose shape the gateway does not know (an output item or content block
 * type added by a provider after this code was written): member values and member names at any depth,
 * with the same whole-text check as known members, placeholders restored in place (JSON-escaped in a
 * string that is itself JSON). A string that is one URL is checked as a link (`<url>`); short identifiers
 * in structural members (`id`, `*_id`, `type`, `status`, `role`, `object`) are left as sent; a string
 * `name` of the value itself must pass the tool allowlist (`allowTool`), since a new item type may well
 * call a tool. The walk is bounded (`limits`): past a bound the response fails closed
 * (`guard.uncheckable`), as nothing unchecked may leave. Returns false when the response must stop.
 */
export function rewriteUnknownValue(options: {
  guard: ResponseGuard;
  record: Record<string, unknown>;
  rewrite: RewriteUnknownString;
  /** The tool allowlist, for the value's own `name`; omitted when a name there is not a tool's. */
  allowTool?: (name: string) => boolean;
  limits?: UnknownValueLimits;
}): boolean {
  const { record, rewrite } = options;
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

  /** The checked form of a value (changed in place when it is an object), or STOP. */
  function walk(value: unknown, path: string, depth: number): unknown {
    if (typeof value === 'string') return check(path, value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= limits.maxDepth) {
      tooLarge = true;
      return STOP;
    }
    if (!Array.isArray(value)) return walkRecord(value as Record<string, unknown>, path, depth);
    for (let index = 0; index < value.length; index++) {
      const checked = walk(value[index], `${path}.${index}`, depth + 1);
      if (checked === STOP) return STOP;
      value[index] = checked;
    }
    return value;
  }

  function walkRecord(target: Record<string, unknown>, path: string, depth: number): unknown {
    let renamed: [string, unknown][] | undefined;
    const keys = Object.keys(target);
    for (const [position, key] of keys.entries()) {
      const value = target[key];
      const at = path.length === 0 ? key : `${path}.${key}`;
      let name = names.get(key);
      if (name === undefined) {
        const checked = check(`${at}{}`, key);
        if (checked === STOP) return STOP;
        name = checked;
        names.set(key, name);
      }
      let checked: unknown = value;
      if (typeof value !== 'string' || !isStructural(key, value)) {
        checked = walk(value, at, depth + 1);
        if (checked === STOP) return STOP;
      }
      if (name !== key) renamed ??= keys.slice(0, position).map((earlier) => [earlier, target[earlier]]);
      if (renamed !== undefined) renamed.push([name, checked]);
      else target[key] = checked;
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
  if (walkRecord(record, '', 0) !== STOP) return true;
  if (!tooLarge) return false;
  const bounds = `depth ${limits.maxDepth}, ${limits.maxStrings} strings, ${limits.maxChars} characters`;
  return options.guard.uncheckable(
    `an output item of a type the gateway does not know exceeds the limits of the output check (${bounds})`,
  );
}
