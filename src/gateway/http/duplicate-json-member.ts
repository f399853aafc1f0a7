const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where a member name is written twice in one object: the object's path and the name. */
export interface DuplicateJsonMember {
  /** Path of the object (`messages[0].content[2]`, empty for the top level); unsafe names read `*`. */
  path: string;
  /** The repeated name, or `*` when it is not a short identifier (a name may carry text). */
  name: string;
}

/** Strings shorter than this are read byte by byte; past it, a native search finds their quotes. */
const SHORT_STRING = 32;

/** Index of the quote that closes the string opened at `open`, or -1 (RFC 8259 §7 escapes). */
function closingQuote(bytes: Buffer, open: number): number {
  const short = Math.min(open + SHORT_STRING, bytes.length);
  let index = open + 1;
  for (; index < short; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) return index;
    if (byte === BACKSLASH) index++;
  }
  let end = bytes.indexOf(QUOTE, index);
  while (end !== -1) {
    // An escaped quote has an odd run of backslashes before it (the opening quote ends any run).
    let backslashes = 0;
    while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = bytes.indexOf(QUOTE, end + 1);
  }
  return -1;
}

/**
 * Number of members (name-value pairs) in a valid JSON text: its colons outside strings. Strings are skipped
 * with a native search for their closing quote, so the cost is one pass over the structure bytes.
 */
export function countJsonMembers(bytes: Buffer): number {
  let count = 0;
  const length = bytes.length;
  for (let index = 0; index < length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = closingQuote(bytes, index);
      if (index === -1) return count;
    } else if (byte === COLON) count++;
  }
  return count;
}

/** Own member names of every object in a parsed JSON value (iterative: depth is limited before parsing). */
function countParsedMembers(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    // Own names only: a `__proto__` member is one (JSON.parse defines it), and is counted and walked.
    const object = value as Record<string, unknown>;
    const names = Object.keys(object);
    count += names.length;
    for (const name of names) {
      const child = object[name];
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return count;
}

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

function shown(name: string): string {
  return SAFE_NAME.test(name) ? name : '*';
}

interface Frame {
  /** Names seen so far (objects), undefined for arrays. */
  names: Set<string> | undefined;
  /** The current member name (objects) or element index (arrays). */
  key: string | number;
  expectName: boolean;
}

function pathOf(stack: readonly Frame[]): string {
  let path = '';
  // The top frame is the object holding the duplicate; its parents' keys make the path.
  for (let level = 0; level < stack.length - 1; level++) {
    const key = (stack[level] as Frame).key;
    if (typeof key === 'number') path += `[${key}]`;
    else path += path === '' ? shown(key) : `.${shown(key)}`;
  }
  return path;
}

/** The name a string token spells, escapes read (`JSON.parse` only for a name that has any). */
function memberName(bytes: Buffer, open: number, close: number): string {
  for (let index = open + 1; index < close; index++) {
    if (bytes[index] === BACKSLASH) return JSON.parse(bytes.toString('utf8', open, close + 1)) as string;
  }
  return bytes.toString('utf8', open + 1, close);
}

/** Walks the text once, keeping each open object's names, until a name repeats (the slow, rare path). */
function locateDuplicate(bytes: Buffer): DuplicateJsonMember | undefined {
  const stack: Frame[] = [];
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    const top = stack[stack.length - 1];
    if (byte === QUOTE) {
      const end = closingQuote(bytes, index);
      if (end === -1) return undefined;
      if (top?.names && top.expectName) {
        const name = memberName(bytes, index, end);
        if (top.names.has(name)) return { path: pathOf(stack), name: shown(name) };
        top.names.add(name);
        top.key = name;
        top.expectName = false;
      }
      index = end;
    } else if (byte === OPEN_BRACE) stack.push({ names: new Set(), key: '', expectName: true });
    else if (byte === OPEN_BRACKET) stack.push({ names: undefined, key: 0, expectName: false });
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) stack.pop();
    else if (byte === COMMA && top) {
      if (top.names) top.expectName = true;
      else top.key = (top.key as number) + 1;
    }
  }
  return undefined;
}

/**
 * The first member name written twice in one object of a JSON text, or undefined. `value` is the text as
 * `JSON.parse` read it (the last duplicate wins there, so it holds fewer own names than the text has members):
 * the common case costs one count of the text's members and one of the parsed names.
 */
export function findDuplicateJsonMember(bytes: Buffer, value: unknown): DuplicateJsonMember | undefined {
  if (countJsonMembers(bytes) === countParsedMembers(value)) return undefined;
  return locateDuplicate(bytes);
}
