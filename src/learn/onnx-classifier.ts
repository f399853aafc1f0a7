import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AsyncDetector, DetectContext } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { InjectionFinding } from '../spec/finding.js';
import { createTokenizer, type Tokenizer } from './tokenizer-json.js';

/** Options of `createOnnxClassifier`. */
export interface OnnxClassifierOptions {
  /**
   * A local model directory holding `model.onnx` and `tokenizer.json` (and optionally `config.json` with
   * `id2label`), e.g. an export of Llama Prompt Guard 2 or a DeBERTa prompt-injection classifier.
   */
  directory: string;
  /** Probability at or above which a finding is reported (default 0.5). */
  threshold?: number;
  /**
   * Index of the injection class in the logits; default: every class `config.json` labels as injection,
   * jailbreak, malicious, unsafe or attack (their probabilities summed), else the last class.
   */
  injectionLabel?: number;
  /**
   * Tokens per model run, special tokens included (default 512); a window with more tokens is scored in
   * overlapping parts, so no part of it is cut off.
   */
  maxTokens?: number;
  /** Characters per window of long texts (default 2000); at most `maxWindows` windows are scored. */
  windowChars?: number;
  maxWindows?: number;
}

/** The subset of onnxruntime-node this module uses (the package is optional and loaded lazily). */
interface OrtModule {
  InferenceSession: { create(path: string): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => unknown;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    feeds: Record<string, unknown>,
  ): Promise<Record<string, { data: ArrayLike<number | bigint>; dims: readonly number[] }>>;
}

const INJECTION_LABEL = /inject|jailbreak|malicious|unsafe|attack/i;

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AegisError(ERROR_CODES.MODEL_UNREADABLE, `cannot read ${path}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // Present but damaged (e.g. a truncated download): invalid, like a damaged model.onnx.
    throw new AegisError(ERROR_CODES.MODEL_INVALID, `${path} is not valid JSON: ${firstLine(error)}`, {
      cause: error,
    });
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The first line of an error's message, at most 200 characters (runtime messages can be long). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.slice(0, 200);
}

/**
 * Indices of every injection-like class in `config.json` labels (Prompt Guard 1 has both INJECTION and
 * JAILBREAK: its score is their summed probability), or `undefined` when none is named so.
 */
function labelsFromConfig(directory: string): number[] | undefined {
  try {
    const config = JSON.parse(readFileSync(join(directory, 'config.json'), 'utf8')) as {
      id2label?: Record<string, string>;
    };
    const matches = Object.entries(config.id2label ?? {})
      .filter(([, label]) => typeof label === 'string' && INJECTION_LABEL.test(label))
      .map(([index]) => Number(index))
      .filter((index) => Number.isInteger(index) && index >= 0);
    return matches.length > 0 ? matches : undefined;
  } catch {
    return undefined;
  }
}

/** Numerically stable softmax probability of class `index`. */
export function softmaxAt(logits: readonly number[], index: number): number {
  const max = Math.max(...logits);
  const exps = logits.map((value) => Math.exp(value - max));
  return exps[index]! / exps.reduce((sum, value) => sum + value, 0);
}

/** Evenly spaced window starts covering a text, at most `maxWindows` of them (first and last kept). */
function windowStarts(length: number, windowChars: number, maxWindows: number): number[] {
  const count = Math.max(1, Math.ceil(length / windowChars));
  const starts = Array.from({ length: count }, (_, index) => index * windowChars);
  if (starts.length <= maxWindows) return starts;
  if (maxWindows === 1) return [0];
  return Array.from(
    { length: maxWindows },
    (_, index) => starts[Math.round((index * (count - 1)) / (maxWindows - 1))]!,
  );
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `onnx classifier: ${name} must be a positive integer`);
  }
  return value;
}

/** Shortest piece a window that overflows `maxTokens` is split into. */
const MIN_PIECE_CHARS = 16;
/**
 * Most halvings of one window (at most 2^5 = 32 model runs per window, so a tokenizer that yields many
 * tokens per character cannot multiply the work without bound). One token per character, the densest
 * real case, needs 3 halvings of a 2,000-character window at 512 tokens.
 */
const MAX_SPLIT_DEPTH = 5;

/**
 * A local ONNX text classifier as an asynchronous injection detector. `onnxruntime-node` is an optional
 * dependency loaded on first use with `await import()`, so the package works without it; when it is
 * missing the detector fails with `AEGIS_BACKEND_UNAVAILABLE`. Nothing is downloaded.
 */
export function createOnnxClassifier(options: OnnxClassifierOptions): AsyncDetector {
  const threshold = options.threshold ?? 0.5;
  // NaN would flag every text and a value above 1 none: both are mistakes, said at once.
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'onnx classifier: threshold must be from 0 to 1');
  }
  const maxTokens = positiveInteger('maxTokens', options.maxTokens ?? 512);
  const windowChars = positiveInteger('windowChars', options.windowChars ?? 2000);
  const maxWindows = positiveInteger('maxWindows', options.maxWindows ?? 32);
  let loading:
    | Promise<{ ort: OrtModule; session: OrtSession; tokenizer: Tokenizer; labels: number[] }>
    | undefined;

  const load = async () => {
    let ort: OrtModule;
    try {
      const moduleName = 'onnxruntime-node';
      ort = (await import(moduleName)) as OrtModule;
    } catch (error) {
      throw new AegisError(
        ERROR_CODES.BACKEND_UNAVAILABLE,
        'the ONNX back-end needs the optional package onnxruntime-node (npm install onnxruntime-node)',
        { cause: error },
      );
    }
    const modelPath = join(options.directory, 'model.onnx');
    if (!isFolder(options.directory)) {
      throw new AegisError(
        ERROR_CODES.MODEL_UNREADABLE,
        `ONNX model directory ${options.directory} does not exist or is not a folder`,
      );
    }
    if (!existsSync(modelPath)) {
      throw new AegisError(ERROR_CODES.MODEL_UNREADABLE, `${options.directory} has no model.onnx`);
    }
    const tokenizer = createTokenizer(readJson(join(options.directory, 'tokenizer.json')));
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(modelPath);
    } catch (error) {
      throw new AegisError(ERROR_CODES.MODEL_INVALID, `cannot load ${modelPath}: ${firstLine(error)}`, {
        cause: error,
      });
    }
    if (!session.inputNames.includes('input_ids')) {
      // Every other input is fed zeros or ones: without input_ids the model would score no text at all.
      throw new AegisError(
        ERROR_CODES.MODEL_INVALID,
        `${modelPath} has no input_ids input (inputs: ${session.inputNames.join(', ')})`,
      );
    }
    return {
      ort,
      session,
      tokenizer,
      labels:
        options.injectionLabel === undefined
          ? (labelsFromConfig(options.directory) ?? [])
          : [options.injectionLabel],
    };
  };

  const scoreIds = async (loaded: Awaited<ReturnType<typeof load>>, ids: number[]): Promise<number> => {
    const { ort, session, labels } = loaded;
    const dims = [1, ids.length];
    const feeds: Record<string, unknown> = {};
    for (const name of session.inputNames) {
      const data =
        name === 'input_ids'
          ? BigInt64Array.from(ids, (id) => BigInt(id))
          : name === 'attention_mask'
            ? new BigInt64Array(ids.length).fill(1n)
            : new BigInt64Array(ids.length);
      feeds[name] = new ort.Tensor('int64', data, dims);
    }
    let outputs: Awaited<ReturnType<OrtSession['run']>>;
    try {
      outputs = await session.run(feeds);
    } catch (error) {
      // Typically a model whose inputs are not the int64 input_ids / attention_mask of BERT-style exports.
      throw new AegisError(ERROR_CODES.BACKEND_FAILED, `ONNX model run failed: ${firstLine(error)}`, {
        cause: error,
      });
    }
    const output = outputs.logits ?? outputs[session.outputNames[0]!];
    if (!output) throw new AegisError(ERROR_CODES.BACKEND_FAILED, 'ONNX model produced no output');
    const logits = Array.from(output.data, Number);
    if (logits.length === 0 || !logits.every(Number.isFinite)) {
      throw new AegisError(ERROR_CODES.BACKEND_FAILED, 'ONNX model produced no finite logits');
    }
    if (logits.length === 1) return 1 / (1 + Math.exp(-logits[0]!));
    const known = labels.filter((index) => index < logits.length);
    const indices = known.length > 0 ? known : [logits.length - 1];
    return Math.min(
      1,
      indices.reduce((sum, index) => sum + softmaxAt(logits, index), 0),
    );
  };

  /**
   * Best score of `text[start, end)`. A piece whose tokens fill `maxTokens` would lose its tail to the
   * tokenizer's truncation (dense scripts such as CJK take a token per character), so it is scored as two
   * overlapping parts instead, each of 60% of its length, down to `MIN_PIECE_CHARS` or `MAX_SPLIT_DEPTH`.
   */
  const scorePiece = async (
    text: string,
    start: number,
    end: number,
    depth = 0,
  ): Promise<{ score: number; start: number; end: number }> => {
    loading ??= load();
    const loaded = await loading;
    const ids = loaded.tokenizer.encode(text.slice(start, end), maxTokens);
    if (ids.length < maxTokens || end - start <= MIN_PIECE_CHARS || depth >= MAX_SPLIT_DEPTH) {
      return { score: await scoreIds(loaded, ids), start, end };
    }
    const part = Math.ceil((end - start) * 0.6);
    const head = await scorePiece(text, start, start + part, depth + 1);
    const tail = await scorePiece(text, end - part, end, depth + 1);
    return tail.score > head.score ? tail : head;
  };

  return {
    id: 'onnx-classifier',
    family: 'injection',
    async detect(text: string, context: DetectContext) {
      if (text.trim() === '') return [];
      const scored = context.normalized.original === text ? context.normalized.text : text;
      let best = { score: 0, start: 0, end: 0 };
      for (const start of windowStarts(scored.length, windowChars, maxWindows)) {
        const piece = await scorePiece(scored, start, Math.min(scored.length, start + windowChars));
        if (piece.score > best.score) best = piece;
      }
      if (best.score < threshold) return [];
      const mapped = context.normalized.original === text ? context.normalized : undefined;
      const finding: InjectionFinding = {
        family: 'injection',
        detector: 'onnx-classifier',
        category: 'prompt-injection',
        type: 'CLASSIFIER_INJECTION',
        severity: best.score >= 0.9 ? 'high' : 'medium',
        score: best.score,
        start: mapped ? mapped.toOriginal(best.start) : best.start,
        end: mapped ? mapped.toOriginal(best.end) : best.end,
        ruleId: 'injection.onnx-classifier',
        signals: ['onnx-classifier'],
        evidence: `classifier score ${best.score.toFixed(3)}`,
      };
      return [finding];
    },
  };
}
