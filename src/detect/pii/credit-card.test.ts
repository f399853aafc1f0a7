import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupingPlausible } from './credit-card.js';

/** The grouping rule written with string operations: the specification of the one-pass version. */
function groupingBySplitting(value: string): boolean {
  const groups = value.split(/[ -]/);
  if (groups.length === 1) return true;
  const separators = value.replace(/\d/g, '');
  if (!separators.split('').every((char) => char === separators[0])) return false;
  const lengths = groups.map((group) => group.length).join('-');
  if (lengths === '4-6-5' || lengths === '4-6-4') return true;
  return groups.slice(0, -1).every((group) => group.length === 4) && groups[groups.length - 1]!.length <= 4;
}

describe('card grouping', () => {
  it('accepts exactly the groupings the string-splitting rule accepts, for every CARD match shape', () => {
    // Digit groups of every length joined by single spaces or hyphens, as CARD matches them.
    const values = fc
      .tuple(
        fc.oneof(fc.constantFrom('4111', '3782'), fc.stringMatching(/^[0-9]{1,19}$/)),
        fc.array(
          fc.tuple(
            fc.constantFrom(' ', '-'),
            fc.oneof(fc.constantFrom('1111', '822463', '10005', '904'), fc.stringMatching(/^[0-9]{1,8}$/)),
          ),
          {
            maxLength: 6,
          },
        ),
      )
      .map(([head, rest]) => head + rest.map(([separator, digits]) => separator + digits).join(''));
    fc.assert(
      fc.property(values, (value) => {
        expect(groupingPlausible(value)).toBe(groupingBySplitting(value));
      }),
      { numRuns: 5000 },
    );
    expect(['4111 1111 1111 1111', '3782 822463 10005', '3056 930902 5904'].every(groupingPlausible)).toBe(
      true,
    );
    expect(groupingPlausible('4111-1111 1111 1111')).toBe(false);
    expect(groupingPlausible('41 11 1111 1111 1111')).toBe(false);
  });
});
