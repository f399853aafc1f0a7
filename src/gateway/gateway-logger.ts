/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Structured JSON logger. Fields must never hold secrets or raw prompt text. */
export interface GatewayLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Creates a logger writing one JSON object per line (default: stderr). */
export function createGatewayLogger(options: {
  level: LogLevel;
  write?: (line: string) => void;
}): GatewayLogger {
  const threshold = RANK[options.level];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] < threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message };
    if (fields) Object.assign(entry, fields);
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    enabled: (level) => RANK[level] >= threshold,
  };
}
