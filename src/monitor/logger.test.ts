import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from './logger.js';

function capture(level: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line), clock: () => 0 });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line)) };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time and fields', () => {
    const { logger, parsed } = capture();
    logger.child({ requestId: 'r1' }).info('request done', { status: 200 });
    expect(parsed()).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'request done', requestId: 'r1', status: 200 },
    ]);
  });

  it('filters by level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines).toHaveLength(2);
    const silent = capture('silent');
    silent.logger.error('x');
    expect(silent.lines).toHaveLength(0);
  });

  it('redacts authorization headers and anything that looks like a key', () => {
    const { logger, lines } = capture();
    const key = `aegis_sk_${'A'.repeat(43)}`;
    logger.info(`auth with ${key}`, {
      headers: { authorization: 'Bearer sk-live-abcdefghijklmnop', 'X-Api-Key': 'whatever', accept: 'json' },
      note: 'token sk-proj-abcdefghijklmnopqrstuvwx and AKIAIOSFODNN7EXAMPLE',
      error: new Error(`bad key ${key}`),
    });
    const text = lines.join('');
    expect(text).not.toContain('A'.repeat(20));
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('whatever');
    expect(text).not.toContain('IOSFODNN7');
    expect(text).toContain('"accept":"json"');
    expect(text).toContain('aegis_sk_[REDACTED]');
  });

  it('bounds deep and large values', () => {
    const { logger, parsed } = capture();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let index = 0; index < 50; index += 1) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    logger.info('deep', { root, big: 'x'.repeat(100_000) });
    const [line] = parsed();
    expect(JSON.stringify(line).length).toBeLessThan(10_000);
  });

  it('redactSecrets leaves ordinary text alone', () => {
    expect(redactSecrets('the skeleton key is in the bearer bond')).toBe(
      'the skeleton key is in the bearer bond',
    );
  });
});
