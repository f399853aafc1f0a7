import { describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import { createTokenizer } from './tokenizer-json.js';

describe('tokenizer.json reader', () => {
  it('encodes WordPiece with BERT normalization, sub-words and special tokens', () => {
    const tokenizer = createTokenizer({
      normalizer: { type: 'BertNormalizer', lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: { type: 'BertProcessing', cls: ['[CLS]', 101], sep: ['[SEP]', 102] },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        vocab: { '[UNK]': 100, ignore: 1, rule: 2, '##s': 3, '!': 4, café: 5, cafe: 6 },
      },
    });
    expect(tokenizer.encode('Ignore RULES! zzz Café', 64)).toEqual([101, 1, 2, 3, 4, 100, 6, 102]);
    expect(tokenizer.encode('ignore ignore ignore ignore', 4)).toEqual([101, 1, 1, 102]);
  });

  it('makes every CJK ideograph a word of its own and drops format characters, as BERT does', () => {
    const bert = (handle_chinese_chars?: boolean) =>
      createTokenizer({
        normalizer: { type: 'BertNormalizer', lowercase: true, handle_chinese_chars },
        pre_tokenizer: { type: 'BertPreTokenizer' },
        model: {
          type: 'WordPiece',
          unk_token: '[UNK]',
          vocab: { '[UNK]': 0, 忽: 1, 略: 2, '##略': 3, ignore: 4 },
        },
      });
    expect(bert().encode('ignore忽略', 16)).toEqual([4, 1, 2]);
    expect(bert(false).encode('忽略', 16)).toEqual([1, 3]);
    // clean_text: zero-width and other format characters are dropped, not read as word breaks.
    expect(bert().encode('ig\u200bno\u00adre\u0007', 16)).toEqual([4]);
  });

  it('segments Unigram pieces with Viterbi and Metaspace', () => {
    const tokenizer = createTokenizer({
      normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] },
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '[CLS]' } },
          { Sequence: { id: 'A' } },
          { SpecialToken: { id: '[SEP]' } },
        ],
        special_tokens: { '[CLS]': { ids: [1] }, '[SEP]': { ids: [2] } },
      },
      model: {
        type: 'Unigram',
        unk_id: 0,
        vocab: [
          ['[UNK]', 0],
          ['[CLS]', 0],
          ['[SEP]', 0],
          ['\u2581ignore', -2],
          ['\u2581ig', -3],
          ['nore', -3],
          ['\u2581all', -2],
        ],
      },
    });
    expect(tokenizer.encode('IGNORE all', 16)).toEqual([1, 3, 6, 2]);
    expect(tokenizer.encode('x', 16)).toEqual([1, 0, 0, 2]);
  });

  it('reads a Unigram vocabulary of real size (250,000 pieces, as in multilingual DeBERTa)', () => {
    const vocab: [string, number][] = [['<unk>', 0]];
    for (let id = 1; id < 250_000; id++) vocab.push([`\u2581w${id}`, -id / 1000]);
    vocab.push(['\u2581ignore', -1]);
    const tokenizer = createTokenizer({
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581' },
      model: { type: 'Unigram', unk_id: 0, vocab },
    });
    expect(tokenizer.encode('ignore w7', 8)).toEqual([250_000, 7]);
  });

  it('refuses unsupported models with AEGIS_MODEL_INVALID', () => {
    expect(() => createTokenizer({ model: { type: 'BPE', vocab: {}, merges: [] } })).toThrow(/not supported/);
    expect(() => createTokenizer(null)).toThrow(/tokenizer.json/);
  });

  it('refuses sections of an unexpected shape with AEGIS_MODEL_INVALID, never a bare TypeError', () => {
    const unigram = { type: 'Unigram', unk_id: 0, vocab: [['<unk>', 0]] };
    const malformed: unknown[] = [
      { model: { type: 'Unigram', vocab: [1, 2, 3] } },
      { model: { type: 'Unigram', vocab: [[5, 'x']] } },
      { model: { type: 'Unigram', vocab: 'pieces' } },
      { model: { type: 'WordPiece', vocab: { '[UNK]': 'zero' } } },
      { post_processor: { type: 'BertProcessing' }, model: unigram },
      { post_processor: { type: 'TemplateProcessing', single: [null] }, model: unigram },
      { pre_tokenizer: { type: 'Metaspace', replacement: '' }, model: unigram },
    ];
    for (const json of malformed) {
      let caught: unknown;
      try {
        createTokenizer(json);
      } catch (error) {
        caught = error;
      }
      expect(isAegisError(caught, 'AEGIS_MODEL_INVALID'), JSON.stringify(json)).toBe(true);
    }
  });

  it('splits on a Metaspace replacement taken literally, whatever characters it holds', () => {
    const tokenizer = createTokenizer({
      pre_tokenizer: { type: 'Metaspace', replacement: '(' },
      model: {
        type: 'Unigram',
        unk_id: 0,
        vocab: [
          ['<unk>', 0],
          ['(a', -1],
          ['(b', -1],
        ],
      },
    });
    expect(tokenizer.encode('a b', 8)).toEqual([1, 2]);
  });
});
