import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROVIDER_RULES } from './provider-rules.js';
import { runShape } from './run-shape.js';

// Context rules are where the shape saves regex calls; the test holds every provider pattern it reads.
const SHAPED = PROVIDER_RULES.map((rule) => ({ id: rule.id, sticky: new RegExp(rule.pattern.source, 'dy') }))
  .map((entry) => ({ ...entry, shape: runShape(entry.sticky) }))
  .filter((entry) => entry.shape !== undefined);

/** The pattern without its leading lookbehind and trailing lookahead, anchored: a generator of matches. */
function core(source: string): RegExp {
  return new RegExp(`^${source.replace(/^\(\?<!\[[^\]]*\]\)/, '').replace(/\(\?!\[[^\]]*\]\)$/, '')}$`);
}

// Context around a generated match: characters inside and outside every class the patterns use,
// non-ASCII letters (whose low seven bits are ASCII letters) and an astral character.
const context = fc
  .array(fc.constantFrom(...'aZ09_-~.+/=:%? \n"\'', 'é', '\u00e1', '\u0161', '😀', 'abc', 'A1b2'), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** Replaces a few characters of `value` so that near-misses (one character off) are tested too. */
const mutated = (value: string) =>
  fc
    .array(fc.tuple(fc.nat(), fc.constantFrom('a', 'Z', '0', '-', '_', ' ', '.', '~', 'é', '/')), {
      maxLength: 2,
    })
    .map((edits) => {
      const characters = [...value];
      for (const [at, character] of edits) {
        if (characters.length > 0) characters[at % characters.length] = character;
      }
      return characters.join('');
    });

describe('runShape', () => {
  it('understands the run-shaped provider patterns', () => {
    const ids = SHAPED.map((entry) => entry.id);
    for (const id of ['secrets.ibm-cloud-api-key', 'secrets.aws-secret-access-key', 'secrets.heroku-api-key'])
      expect(ids).toContain(id);
    expect(SHAPED.length).toBeGreaterThan(100);
  });

  it.each(SHAPED)('never rules out a start where $id matches', ({ sticky, shape }) => {
    const matches = fc
      .stringMatching(core(sticky.source))
      .chain((match) => fc.oneof(fc.constant(match), mutated(match)));
    fc.assert(
      fc.property(context, matches, context, (before, match, after) => {
        const text = before + match + after;
        for (let start = 0; start <= text.length; start++) {
          sticky.lastIndex = start;
          if (sticky.exec(text) !== null) expect(shape!.canMatchAt(text, start)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each(SHAPED)(
    'finds the next start where $id may match as a start-by-start search does',
    ({ sticky, shape }) => {
      const matches = fc
        .stringMatching(core(sticky.source))
        .chain((match) => fc.oneof(fc.constant(match), mutated(match)));
      const pieces = fc.array(fc.oneof(context, matches), { maxLength: 5 }).map((parts) => parts.join(''));
      fc.assert(
        fc.property(pieces, fc.nat(), fc.nat(), (text, a, b) => {
          const from = a % (text.length + 1);
          const to = from + (b % (text.length - from + 1));
          let expected = from;
          while (expected < to && !shape!.canMatchAt(text, expected)) expected++;
          expect(shape!.nextStart(text, from, to)).toBe(expected);
        }),
        { numRuns: 60 },
      );
    },
  );

  it('rules out ordinary words for a 44-character token pattern', () => {
    const shape = runShape(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{44}(?![A-Za-z0-9_-])/dy)!;
    const text = 'apiKey = readFromVault("name") // rotated weekly';
    for (let start = 0; start < text.length; start++) expect(shape.canMatchAt(text, start)).toBe(false);
    const token = 'Ab3_'.repeat(11);
    expect(shape.canMatchAt(`key: ${token}`, 5)).toBe(true);
    expect(shape.canMatchAt(`key: ${token}x`, 5)).toBe(false);
  });

  it.each([
    /(?:a|b)[0-9]{4}/,
    /[0-9]+/,
    /[0-9]{4,}/,
    /[0-9]{1,4}?x/,
    /\d{4}/,
    /[^a-z]{4}/,
    /[a-z]{4}/i,
    /a.b/,
    /^abc/,
    /(?<value>[a-z]{4})/,
    /[é]{2}/,
    /(?=[a-z])[a-z]{2}/,
  ])('leaves %s without a shape (syntax it does not read)', (pattern) => {
    expect(runShape(pattern)).toBeUndefined();
  });
});
