import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import type { Guard } from '../../guard/types.js';
import { scanSensitiveTexts } from './scan-sensitive-texts.js';

/** The balanced guard, counting its `redact` calls. */
function countingGuard(): { guard: Guard; calls: () => number } {
  const real = createGuard({ policy: 'balanced' });
  let calls = 0;
  return {
    guard: {
      ...real,
      redact(text, options) {
        calls++;
        return real.redact(text, options);
      },
    },
    calls: () => calls,
  };
}

describe('scanSensitiveTexts', () => {
  it('finds values in each text, with spans relative to that text', () => {
    const { guard } = countingGuard();
    const texts = ['nothing here', 'mail jane.doe@example.com', '', 'key AKIAZ7QW3RTY5UIOP2XC 😀 end'];
    const spans = scanSensitiveTexts({ guard, texts })!;
    expect(spans.map((list) => list.map((span) => span.type))).toEqual([
      [],
      ['EMAIL_ADDRESS'],
      [],
      ['AWS_ACCESS_KEY_ID'],
    ]);
    expect(texts[1]!.slice(spans[1]![0]!.start, spans[1]![0]!.end)).toBe('jane.doe@example.com');
    expect(texts[3]!.slice(spans[3]![0]!.start, spans[3]![0]!.end)).toBe('AKIAZ7QW3RTY5UIOP2XC');
  });

  it('remembers clean texts for the guard, never texts with findings', () => {
    const { guard, calls } = countingGuard();
    scanSensitiveTexts({ guard, texts: ['Looks up orders by number.', 'mail jane.doe@example.com'] });
    expect(calls()).toBe(1);
    expect(scanSensitiveTexts({ guard, texts: ['Looks up orders by number.'] })).toEqual([[]]);
    expect(calls()).toBe(1);
    const again = scanSensitiveTexts({
      guard,
      texts: ['Looks up orders by number.', 'mail jane.doe@example.com'],
    });
    expect(calls()).toBe(2);
    expect(again?.[1]?.[0]?.type).toBe('EMAIL_ADDRESS');
  });

  it('reports a failed scan as undefined', () => {
    const real = createGuard({ policy: 'balanced' });
    const broken: Guard = {
      ...real,
      redact() {
        throw new Error('detector failed');
      },
    };
    expect(scanSensitiveTexts({ guard: broken, texts: ['anything'] })).toBeUndefined();
  });
});
