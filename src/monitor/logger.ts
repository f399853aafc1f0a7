/** Log levels, least to most severe; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields of one log line. */
export type LogFields = Record<string, unknown>;

/** A structured JSON logger (one object per line). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  /** True when lines of `level` are written (to skip building costly fields). */
  enabled(level: LogLevel): boolean;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go. Default: stderr (stdout stays free for command output). */
  write?: (line: string) => void;
  clock?: () => number;
  fields?: LogFields;
}

const REDACTED = '[REDACTED]';
// Field names whose values are credentials whatever they look like.
const SECRET_FIELD =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|cookie|set-cookie|password|passwd|secret|token|access[-_]?token|refresh[-_]?token|admin[-_]?token|client[-_]?secret)$/i;
// Values that look like keys: our own keys, bearer credentials, common provider key shapes. Bounded
// repetitions keep these linear.
const SECRET_VALUE =
  /(aegis_sk_[A-Za-z0-9_-]{4,64}|\b[Bb]earer[ \t]{1,8}[A-Za-z0-9._~+/=-]{8,4096}|\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,256}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,255}|\bxox[abprs]-[A-Za-z0-9-]{10,255})/g;
const MAX_DEPTH = 6;
const MAX_STRING = 4096;
const MAX_ITEMS = 100;

/** Masks anything that looks like a key or credential inside a string. */
export function redactSecrets(text: string): string {
  return text.replace(
    SECRET_VALUE,
    (match) => `${match.slice(0, match.startsWith('aegis_sk_') ? 9 : 4)}${REDACTED}`,
  );
}

function sanitize(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    const clipped = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    return redactSecrets(clipped);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactSecrets(value.message),
      ...(code === undefined ? {} : { code }),
    };
  }
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => sanitize(item, depth + 1));
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (count++ >= MAX_ITEMS) break;
    out[key] = SECRET_FIELD.test(key) ? REDACTED : sanitize(member, depth + 1);
  }
  return out;
}

// Lines for stderr wait until the end of the current tick and leave in one write: a busy gateway logs
// one line per request, and a write per line was a measurable share of its CPU time. Everything is
// written when the process exits (stderr is synchronous for files, terminals and, on Linux, pipes), so
// only a hard kill can lose the lines of the last tick.
let pendingLines = '';
let flushScheduled = false;
let exitHookInstalled = false;

function flushLines(): void {
  flushScheduled = false;
  if (pendingLines.length === 0) return;
  const out = pendingLines;
  pendingLines = '';
  process.stderr.write(out);
}

function writeToStderr(line: string): void {
  pendingLines += line;
  if (flushScheduled) return;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', flushLines);
  }
  flushScheduled = true;
  setImmediate(flushLines);
}

/** Creates a JSON-lines logger that redacts credentials (authorization headers, keys) before writing. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? writeToStderr;
  const clock = options.clock ?? Date.now;

  function build(base: LogFields): Logger {
    const baseEmpty = Object.keys(base).length === 0;
    function log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const entry: LogFields = { time: new Date(clock()).toISOString(), level, msg: redactSecrets(message) };
      // The same rules as `sanitize` on the merged fields (at most MAX_ITEMS, secret names masked), built
      // straight into the line: one request log line per request makes the copies worth avoiding.
      const merged = baseEmpty ? fields : { ...base, ...fields };
      if (merged !== undefined) {
        let count = 0;
        for (const key of Object.keys(merged)) {
          if (count++ >= MAX_ITEMS) break;
          // `time`, `level` and `msg` belong to the logger.
          if (key === 'time' || key === 'level' || key === 'msg') continue;
          entry[key] = SECRET_FIELD.test(key) ? REDACTED : sanitize(merged[key], 1);
        }
      }
      write(`${JSON.stringify(entry)}\n`);
    }
    return {
      debug: (message, fields) => log('debug', message, fields),
      info: (message, fields) => log('info', message, fields),
      warn: (message, fields) => log('warn', message, fields),
      error: (message, fields) => log('error', message, fields),
      child: (fields) => build({ ...base, ...fields }),
      enabled: (level) => level !== 'silent' && LOG_LEVELS.indexOf(level) >= threshold,
    };
  }
  return build(options.fields ?? {});
}
