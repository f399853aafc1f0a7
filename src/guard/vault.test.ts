import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVault } from './vault.js';

describe('createVault', () => {
  it('gives the same value the same placeholder and numbers per type', () => {
    const vault = createVault();
    expect(vault.placeholderFor('EMAIL_ADDRESS', 'a@example.com')).toBe('<EMAIL_ADDRESS_1>');
    expect(vault.placeholderFor('EMAIL_ADDRESS', 'b@example.com')).toBe('<EMAIL_ADDRESS_2>');
    expect(vault.placeholderFor('EMAIL_ADDRESS', 'a@example.com')).toBe('<EMAIL_ADDRESS_1>');
    expect(vault.placeholderFor('PHONE_NUMBER', '+441234567890')).toBe('<PHONE_NUMBER_1>');
    expect(vault.placeholderFor('credit-card', '4111')).toBe('<CREDIT_CARD_1>');
    expect(vault.size).toBe(4);
    expect(vault.lookup('<EMAIL_ADDRESS_2>')).toBe('b@example.com');
    expect(vault.lookup('<EMAIL_ADDRESS_9>')).toBeUndefined();
  });

  it('restores known placeholders and leaves unknown ones', () => {
    const vault = createVault();
    const placeholder = vault.placeholderFor('EMAIL_ADDRESS', 'a@example.com');
    expect(vault.restore(`write to ${placeholder} or <EMAIL_ADDRESS_7> <b>`)).toBe(
      'write to a@example.com or <EMAIL_ADDRESS_7> <b>',
    );
  });

  it('methods work detached from the vault and stay the same function', () => {
    const vault = createVault();
    const { placeholderFor, lookup, restore, createRestorer } = vault;
    const placeholder = placeholderFor('EMAIL_ADDRESS', 'a@example.com');
    expect(lookup(placeholder)).toBe('a@example.com');
    expect(restore(`to ${placeholder}`)).toBe('to a@example.com');
    const restorer = createRestorer();
    expect(restorer.push(`to ${placeholder}`) + restorer.flush()).toBe('to a@example.com');
    expect(vault.restore).toBe(restore);
    expect(vault.placeholderFor).toBe(placeholderFor);
  });

  it('stays bounded: past maxEntries values are hidden without a way back', () => {
    const vault = createVault({ maxEntries: 2 });
    vault.placeholderFor('X', '1');
    vault.placeholderFor('X', '2');
    expect(vault.placeholderFor('X', '3')).toBe('<X>');
    expect(vault.size).toBe(2);
  });

  it('restores a placeholder split across chunks', () => {
    const vault = createVault();
    vault.placeholderFor('EMAIL_ADDRESS', 'a@example.com');
    const restorer = vault.createRestorer();
    const out = [
      restorer.push('mail <EMAIL_'),
      restorer.push('ADDRESS'),
      restorer.push('_1> now <'),
      restorer.flush(),
    ];
    expect(out).toEqual(['mail ', '', 'a@example.com now ', '<']);
  });

  it('does not hold back text that cannot become a placeholder', () => {
    const restorer = createVault().createRestorer();
    expect(restorer.push('a < b and <html>')).toBe('a < b and <html>');
    expect(restorer.push('x <abc')).toBe('x <abc');
    expect(restorer.push(`<${'A'.repeat(200)}`)).toBe(`<${'A'.repeat(200)}`);
  });

  it('restorer over any chunking equals restoring the whole text', () => {
    const values = ['a@example.com', 'sk-ABCDEF', '+15551234567', '<weird>', 'x'];
    const pieceArbitrary = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        '<',
        '<E',
        '<EMAIL_ADDRESS_',
        '>',
        '_1>',
        '<SECRET_2>',
        '<EMAIL_ADDRESS_1>',
        '<PHONE_NUMBER_1>',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(pieceArbitrary, { maxLength: 20 }),
        fc.array(fc.nat(40), { maxLength: 10 }),
        (pieces, cuts) => {
          const vault = createVault();
          vault.placeholderFor('EMAIL_ADDRESS', values[0]!);
          vault.placeholderFor('SECRET', values[1]!);
          vault.placeholderFor('SECRET', values[2]!);
          vault.placeholderFor('PHONE_NUMBER', values[3]!);
          const text = pieces.join('');
          const positions = [...new Set(cuts.map((cut) => Math.min(cut, text.length)))].sort((a, b) => a - b);
          const restorer = vault.createRestorer();
          let streamed = '';
          let previous = 0;
          for (const position of positions) {
            streamed += restorer.push(text.slice(previous, position));
            previous = position;
          }
          streamed += restorer.push(text.slice(previous));
          streamed += restorer.flush();
          expect(streamed).toBe(vault.restore(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});
