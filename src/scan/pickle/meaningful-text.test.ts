import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDottedName } from './classify-global.js';
import { isMeaningfulText } from './meaningful-text.js';

function expected(text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  const encodedPickle = bytes.length >= 16 && (text.startsWith('gA') || text.startsWith('8'));
  return isDottedName(text) || text === 'latin-1' || encodedPickle;
}

function meaningful(text: string): boolean {
  const bytes = new Uint8Array(Buffer.from(`xx${text}yy`, 'utf8'));
  return isMeaningfulText(bytes, 2, bytes.length - 2);
}

describe('isMeaningfulText', () => {
  it('keeps importable names, the latin-1 idiom and encoded pickles, nothing else', () => {
    expect(meaningful('os')).toBe(true);
    expect(meaningful('torch._utils._rebuild_tensor_v2')).toBe(true);
    expect(meaningful('latin-1')).toBe(true);
    expect(meaningful('gASVGAAAAAAAAACMAm9zlIwGc3lzdGVtlJOUjAJpZJSFlFKULg==')).toBe(true);
    expect(meaningful('80049518000000000000008c026f73')).toBe(true);
    expect(meaningful('encoder.layers.0.attention.weight')).toBe(false);
    expect(meaningful('17')).toBe(false);
    expect(meaningful('<f8')).toBe(false);
    expect(meaningful('')).toBe(false);
    expect(meaningful('a..b')).toBe(false);
    expect(meaningful('ös')).toBe(false);
    expect(meaningful(`a${'b'.repeat(200)}`)).toBe(true);
    expect(meaningful(`a${'b'.repeat(201)}`)).toBe(false);
  });

  it('agrees with the dotted-name pattern on arbitrary text', () => {
    const pieces = fc.constantFrom('a', 'Z', '_', '0', '9', '.', '-', 'é', ' ', 'g', 'A', '8', 'latin', '-1');
    const texts = fc.oneof(
      fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(
      fc.property(texts, (text) => meaningful(text) === expected(text)),
      { numRuns: 500 },
    );
  });
});
