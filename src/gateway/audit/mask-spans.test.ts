import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditMask, type MaskSpan, maskRepeatedValues, maskSpans } from './mask-spans.js';

const MASK = /\[REDACTED:[A-Z0-9_]+\]/g;

/** The code points of `text` that no span touches (a code point is hidden when any unit of it is). */
function uncovered(text: string, spans: readonly MaskSpan[]): { kept: string; runs: number } {
  const covered = new Array<boolean>(text.length).fill(false);
  for (const span of spans)
    for (let index = Math.max(0, span.start); index < Math.min(text.length, span.end); index++)
      covered[index] = true;
  let kept = '';
  let runs = 0;
  let inRun = false;
  let offset = 0;
  for (const point of text) {
    const hidden = covered.slice(offset, offset + point.length).some(Boolean);
    if (hidden && !inRun) runs++;
    inRun = hidden;
    if (!hidden) kept += point;
    offset += point.length;
  }
  return { kept, runs };
}

// Text without `[` so that masks can be told apart; astral characters (emoji, a CJK extension B
// ideograph) so that spans fall inside surrogate pairs.
const textArbitrary = fc
  .array(fc.constantFrom('a', 'b', ' ', '@', '.', 'é', '😀', '𠀋', '\u{1F468}\u200D\u{1F469}'), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

const caseArbitrary = textArbitrary.chain((text) =>
  fc.record({
    text: fc.constant(text),
    spans: fc.array(
      fc
        .tuple(fc.integer({ min: 0, max: text.length }), fc.integer({ min: 0, max: text.length }))
        .chain(([left, right]) =>
          fc.record({
            start: fc.constant(Math.min(left, right)),
            end: fc.constant(Math.max(left, right)),
            type: fc.constantFrom('EMAIL_ADDRESS', 'PHONE_NUMBER', 'aws-access-key.id'),
          }),
        ),
      { maxLength: 6 },
    ),
  }),
);

describe('maskSpans', () => {
  it('returns the text itself when there is nothing to mask', () => {
    expect(maskSpans('hello', [])).toBe('hello');
    expect(maskSpans('hello', [{ start: 2, end: 2, type: 'X' }])).toBe('hello');
  });

  it('masks spans at both ends and keeps the text between them', () => {
    const text = 'bob@example.com wrote to +1 415 555 0132';
    const spans = [
      { start: 0, end: 15, type: 'EMAIL_ADDRESS' },
      { start: 25, end: text.length, type: 'PHONE_NUMBER' },
    ];
    expect(maskSpans(text, spans)).toBe('[REDACTED:EMAIL_ADDRESS] wrote to [REDACTED:PHONE_NUMBER]');
    expect(maskSpans(text, [{ start: 0, end: text.length, type: 'SECRET' }])).toBe('[REDACTED:SECRET]');
  });

  it('merges overlapping spans into one mask named after the first (the longest when tied)', () => {
    const text = 'key=AKIAZ7QW3RTY5UIOP2XC;';
    const merged = maskSpans(text, [
      { start: 8, end: 24, type: 'GENERIC_SECRET' },
      { start: 4, end: 24, type: 'AWS_ACCESS_KEY_ID' },
      { start: 4, end: 10, type: 'SHORT' },
    ]);
    expect(merged).toBe('key=[REDACTED:AWS_ACCESS_KEY_ID];');
    // Touching spans are two values: two masks.
    expect(
      maskSpans('abcd', [
        { start: 0, end: 2, type: 'A' },
        { start: 2, end: 4, type: 'B' },
      ]),
    ).toBe('[REDACTED:A][REDACTED:B]');
  });

  it('never leaves half of an astral character', () => {
    const text = 'x😀y';
    // The span ends between the two halves of the emoji, and another starts between them.
    expect(maskSpans(text, [{ start: 0, end: 2, type: 'A' }])).toBe('[REDACTED:A]y');
    expect(maskSpans(text, [{ start: 2, end: 4, type: 'A' }])).toBe('x[REDACTED:A]');
  });

  it('clamps spans to the text and hides all of it for a span that is not numbers', () => {
    expect(maskSpans('abc', [{ start: -5, end: 1, type: 'A' }])).toBe('[REDACTED:A]bc');
    expect(maskSpans('abc', [{ start: 2, end: 99, type: 'A' }])).toBe('ab[REDACTED:A]');
    expect(maskSpans('abc', [{ start: Number.NaN, end: Number.NaN, type: 'A' }])).toBe('[REDACTED:A]');
  });

  it('names masks with placeholder-safe type names', () => {
    expect(auditMask('aws-access-key.id')).toBe('[REDACTED:AWS_ACCESS_KEY_ID]');
    expect(auditMask('1x')).toBe('[REDACTED:X1X]');
  });

  it('keeps exactly the code points no span touches, with one mask per merged group (property)', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ text, spans }) => {
        const masked = maskSpans(text, spans);
        const expected = uncovered(text, spans);
        expect(masked.replace(MASK, '')).toBe(expected.kept);
        // No lone surrogate: every code point is a whole character or a paired surrogate.
        expect(/\p{Cs}/u.test(masked)).toBe(false);
        const masks = masked.match(MASK)?.length ?? 0;
        expect(masks).toBeGreaterThanOrEqual(expected.runs);
        expect(masks).toBeLessThanOrEqual(spans.filter((span) => span.end > span.start).length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskRepeatedValues', () => {
  it('masks every other occurrence of a value, the longer values first', () => {
    const text = '[REDACTED:EMAIL_ADDRESS] wrote; cc jane@example.com and jane@example.com.au';
    expect(
      maskRepeatedValues(text, [
        { value: 'jane@example.com', type: 'EMAIL_ADDRESS' },
        { value: 'jane@example.com.au', type: 'EMAIL_ADDRESS' },
      ]),
    ).toBe('[REDACTED:EMAIL_ADDRESS] wrote; cc [REDACTED:EMAIL_ADDRESS] and [REDACTED:EMAIL_ADDRESS]');
  });

  it('leaves values too short to tell from ordinary words', () => {
    expect(maskRepeatedValues('Bob met Bob', [{ value: 'Bob', type: 'PERSON' }])).toBe('Bob met Bob');
  });

  it('leaves no occurrence of any value of four characters or more (property)', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('ab', 'cd', 'x', '😀', ' '), { maxLength: 30 })
          .map((parts) => parts.join('')),
        fc.array(
          fc
            .array(fc.constantFrom('ab', 'cd', '😀'), { minLength: 2, maxLength: 4 })
            .map((parts) => parts.join('')),
          { maxLength: 4 },
        ),
        (text, values) => {
          const masked = maskRepeatedValues(
            text,
            values.map((value) => ({ value, type: 'SECRET' })),
          );
          for (const value of values) if (value.length >= 4) expect(masked.includes(value)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
