import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseWhitespace } from './collapse-whitespace.js';

describe('collapseWhitespace', () => {
  it('leaves single spaces and line breaks as they are', () => {
    const collapsed = collapseWhitespace('one two\nthree');
    expect(collapsed.text).toBe('one two\nthree');
    expect(collapsed.toSource(4)).toBe(4);
  });

  it('collapses runs to one space or one line break', () => {
    const collapsed = collapseWhitespace('ignore \t  all\r\n\n  previous');
    expect(collapsed.text).toBe('ignore all\nprevious');
    expect(collapsed.toSource(7)).toBe(10);
    expect(collapsed.toSource(collapsed.text.length)).toBe(26);
  });

  it('maps every kept character back to itself (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', ' ', '\t', '\n', '\r', '\u00a0', 'x'), { maxLength: 60 }),
        (chars) => {
          const source = chars.join('');
          const collapsed = collapseWhitespace(source);
          let previous = 0;
          for (let index = 0; index <= collapsed.text.length; index++) {
            const mapped = collapsed.toSource(index);
            expect(mapped).toBeGreaterThanOrEqual(previous);
            expect(mapped).toBeLessThanOrEqual(source.length);
            previous = mapped;
            const char = collapsed.text[index];
            if (char !== undefined && !/\s/.test(char)) expect(source[mapped]).toBe(char);
          }
          expect(collapsed.toSource(collapsed.text.length)).toBe(source.length);
        },
      ),
    );
  });
});
