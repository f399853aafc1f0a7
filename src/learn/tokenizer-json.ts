import { AegisError, ERROR_CODES } from '../spec/errors.js';

/**
 * A reader for Hugging Face `tokenizer.json` files (the `tokenizers` library's serialization) covering what
 * BERT- and DeBERTa-family classifiers use: WordPiece and Unigram models, the common normalizers,
 * pre-tokenizers and template post-processors. Written here because the alternatives pull a whole
 * inference stack; BPE models are refused with a clear error. Format reference:
 * huggingface/tokenizers, `tokenizers/src/{models,normalizers,pre_tokenizers,processors}`.
 */
export interface Tokenizer {
  /** Token ids with special tokens added, at most `maxTokens` long. */
  encode(text: string, maxTokens: number): number[];
}

type Json = Record<string, unknown>;

function invalid(message: string): AegisError {
  return new AegisError(ERROR_CODES.MODEL_INVALID, `tokenizer.json: ${message}`);
}

/**
 * The CJK ideograph blocks BERT's `handle_chinese_chars` pads (tokenizers `normalizers/bert.rs`,
 * `is_chinese_char`): CJK Unified Ideographs, Extensions A–E and the compatibility ideographs.
 */
const CJK_IDEOGRAPH =
  /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu;

const BERT_DROPPED = /[\ufffd]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu;

function normalizerOf(spec: Json | null | undefined): (text: string) => string {
  if (!spec) return (text) => text;
  switch (spec.type) {
    case 'BertNormalizer': {
      const lowercase = spec.lowercase !== false;
      const stripAccents = spec.strip_accents === true || (spec.strip_accents == null && lowercase);
      const chineseChars = spec.handle_chinese_chars !== false;
      const cleanText = spec.clean_text !== false;
      return (text) => {
        // clean_text drops NUL, U+FFFD and every "other" character (Cc, Cf, Co, Cn) but tab, LF and CR, so a
        // zero-width character cannot split a word into unknown pieces.
        let out = cleanText ? text.replace(BERT_DROPPED, '').replace(/\s/g, ' ') : text;
        // BERT puts spaces around every CJK ideograph, so each is a word of its own (no `##` pieces).
        if (chineseChars) out = out.replace(CJK_IDEOGRAPH, ' $& ');
        if (lowercase) out = out.toLowerCase();
        if (stripAccents) out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
        return out;
      };
    }
    case 'Lowercase':
      return (text) => text.toLowerCase();
    case 'NFKC':
    case 'Precompiled': // SentencePiece's compiled charsmap is NFKC-based; NFKC is the close, safe approximation.
      return (text) => text.normalize('NFKC');
    case 'NFC':
    case 'NFD':
    case 'NFKD':
      return (text) => text.normalize(spec.type as 'NFC');
    case 'StripAccents':
      return (text) => text.normalize('NFD').replace(/\p{Mn}/gu, '');
    case 'Replace': {
      const pattern = (spec.pattern as { String?: string } | undefined)?.String;
      const content = typeof spec.content === 'string' ? spec.content : '';
      return pattern === undefined ? (text) => text : (text) => text.replaceAll(pattern, content);
    }
    case 'Strip':
      return (text) => text.trim();
    case 'Sequence': {
      const steps = ((spec.normalizers as Json[]) ?? []).map(normalizerOf);
      return (text) => steps.reduce((value, step) => step(value), text);
    }
    default:
      throw invalid(`normalizer ${String(spec.type)} is not supported`);
  }
}

function preTokenizerOf(spec: Json | null | undefined): (text: string) => string[] {
  if (!spec) return (text) => [text];
  switch (spec.type) {
    case 'BertPreTokenizer':
      return (text) => text.match(/[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu) ?? [];
    case 'Whitespace':
      return (text) => text.match(/\w+|[^\w\s]+/gu) ?? [];
    case 'WhitespaceSplit':
      return (text) => text.split(/\s+/).filter((word) => word !== '');
    case 'Metaspace': {
      const replacement = typeof spec.replacement === 'string' ? spec.replacement : '\u2581';
      const prefix = spec.add_prefix_space !== false && spec.prepend_scheme !== 'never';
      const split = spec.split !== false;
      if (replacement === '') throw invalid('Metaspace replacement is empty');
      return (text) => {
        const replaced = (prefix && !text.startsWith(' ') ? ` ${text}` : text).replaceAll(' ', replacement);
        if (!split) return [replaced];
        // Split before each replacement by string search: the replacement comes from the file, so it is
        // never compiled into a regular expression.
        const pieces: string[] = [];
        let start = 0;
        for (
          let index = replaced.indexOf(replacement, 1);
          index !== -1;
          index = replaced.indexOf(replacement, index + replacement.length)
        ) {
          pieces.push(replaced.slice(start, index));
          start = index;
        }
        pieces.push(replaced.slice(start));
        return pieces.filter((piece) => piece !== '');
      };
    }
    case 'Sequence': {
      const steps = ((spec.pretokenizers as Json[]) ?? []).map(preTokenizerOf);
      return (text) => steps.reduce<string[]>((pieces, step) => pieces.flatMap(step), [text]);
    }
    default:
      throw invalid(`pre_tokenizer ${String(spec.type)} is not supported`);
  }
}

function wordPiece(model: Json): (word: string) => number[] {
  const vocab = new Map(Object.entries((model.vocab as Record<string, number>) ?? {}));
  for (const [piece, id] of vocab) {
    if (!Number.isSafeInteger(id) || id < 0)
      throw invalid(`WordPiece id of ${JSON.stringify(piece)} is not a token id`);
  }
  const unk = vocab.get(String(model.unk_token ?? '[UNK]'));
  if (unk === undefined) throw invalid('WordPiece vocab lacks the unknown token');
  const prefix = String(model.continuing_subword_prefix ?? '##');
  const maxChars = Number(model.max_input_chars_per_word ?? 100);
  return (word) => {
    if (word.length > maxChars) return [unk];
    const ids: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (end > start) {
        const piece = (start > 0 ? prefix : '') + word.slice(start, end);
        found = vocab.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [unk];
      ids.push(found);
      start = end;
    }
    return ids;
  };
}

function unigram(model: Json): (word: string) => number[] {
  const entries = (model.vocab as [string, number][]) ?? [];
  if (!Array.isArray(entries)) throw invalid('Unigram vocab is not a list');
  entries.forEach((entry, id) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isFinite(entry[1])) {
      throw invalid(`Unigram vocab entry ${id} is not [piece, score]`);
    }
  });
  const scores = new Map<string, { id: number; score: number }>();
  let maxPiece = 1;
  // Found in the same loop: spreading a real vocabulary (128k–250k pieces) into Math.min overflows the stack.
  let minScore = 0;
  entries.forEach(([piece, score], id) => {
    scores.set(piece, { id, score });
    maxPiece = Math.max(maxPiece, piece.length);
    minScore = Math.min(minScore, score);
  });
  const unk = typeof model.unk_id === 'number' ? model.unk_id : 0;
  // Viterbi over the word: best[i] is the best segmentation score of word[0, i).
  return (word) => {
    const best = new Float64Array(word.length + 1).fill(Number.NEGATIVE_INFINITY);
    const back = new Int32Array(word.length + 1);
    const ids = new Int32Array(word.length + 1);
    best[0] = 0;
    for (let end = 1; end <= word.length; end++) {
      for (let start = Math.max(0, end - maxPiece); start < end; start++) {
        if (best[start] === Number.NEGATIVE_INFINITY) continue;
        const entry = scores.get(word.slice(start, end));
        const score = entry ? entry.score : end - start === 1 ? minScore - 10 : undefined;
        if (score === undefined) continue;
        if (best[start]! + score > best[end]!) {
          best[end] = best[start]! + score;
          back[end] = start;
          ids[end] = entry ? entry.id : unk;
        }
      }
    }
    const out: number[] = [];
    for (let end = word.length; end > 0; end = back[end]!) out.push(ids[end]!);
    return out.reverse();
  };
}

function specialIds(processor: Json | null | undefined): { before: number[]; after: number[] } {
  if (!processor) return { before: [], after: [] };
  if (processor.type === 'BertProcessing' || processor.type === 'RobertaProcessing') {
    const cls = (processor.cls as [string, number])[1];
    const sep = (processor.sep as [string, number])[1];
    return { before: [cls], after: [sep] };
  }
  if (processor.type === 'TemplateProcessing') {
    const special = (processor.special_tokens as Record<string, { ids: number[] }>) ?? {};
    const before: number[] = [];
    const after: number[] = [];
    let seenSequence = false;
    for (const item of (processor.single as Json[]) ?? []) {
      if ('Sequence' in item) seenSequence = true;
      const token = (item.SpecialToken as { id: string } | undefined)?.id;
      if (token !== undefined) (seenSequence ? after : before).push(...(special[token]?.ids ?? []));
    }
    return { before, after };
  }
  if (processor.type === 'Sequence') {
    const parts = ((processor.processors as Json[]) ?? []).map(specialIds);
    return { before: parts.flatMap((part) => part.before), after: parts.flatMap((part) => part.after) };
  }
  return { before: [], after: [] };
}

/**
 * Builds a tokenizer from the parsed contents of a `tokenizer.json`. Any file it cannot read, including a
 * known section in an unexpected shape, is `AEGIS_MODEL_INVALID`.
 */
export function createTokenizer(json: unknown): Tokenizer {
  try {
    return buildTokenizer(json);
  } catch (error) {
    if (error instanceof AegisError) throw error;
    throw new AegisError(
      ERROR_CODES.MODEL_INVALID,
      `tokenizer.json: unexpected structure (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
}

function buildTokenizer(json: unknown): Tokenizer {
  if (typeof json !== 'object' || json === null) throw invalid('not a JSON object');
  const spec = json as Json;
  const model = spec.model as Json | undefined;
  if (!model) throw invalid('missing "model"');
  const modelType = model.type ?? (Array.isArray(model.vocab) ? 'Unigram' : 'WordPiece');
  const encodeWord =
    modelType === 'WordPiece' ? wordPiece(model) : modelType === 'Unigram' ? unigram(model) : undefined;
  if (!encodeWord)
    throw invalid(`model type ${String(modelType)} is not supported (WordPiece and Unigram are)`);
  const normalize = normalizerOf(spec.normalizer as Json | null);
  const preTokenize = preTokenizerOf(spec.pre_tokenizer as Json | null);
  const { before, after } = specialIds(spec.post_processor as Json | null);
  return {
    encode(text, maxTokens) {
      const budget = Math.max(0, maxTokens - before.length - after.length);
      const ids: number[] = [];
      for (const word of preTokenize(normalize(text))) {
        for (const id of encodeWord(word)) {
          if (ids.length >= budget) break;
          ids.push(id);
        }
        if (ids.length >= budget) break;
      }
      return [...before, ...ids, ...after];
    },
  };
}
