import { emptyFeatureSums, OUTLIER, sumFeatureWeights } from './feature-weight-sums.js';
import type { FeatureSpec, FeatureVector } from './hashed-features.js';

/**
 * A logistic-regression model over hashed n-grams. Each feature group (character, word) is scaled by
 * 1/sqrt(its feature count), so long and short texts land on comparable logits.
 */
export interface LinearModel {
  readonly spec: FeatureSpec;
  /** One weight per bucket (`2^spec.bits`). */
  readonly weights: Float32Array;
  readonly bias: number;
  /** Texts longer than this many UTF-16 units are scored in overlapping windows, keeping the maximum. */
  readonly windowChars: number;
}

/** The logistic function, safe for large magnitudes. */
export function sigmoid(logit: number): number {
  if (logit >= 0) return 1 / (1 + Math.exp(-logit));
  const exp = Math.exp(logit);
  return exp / (1 + exp);
}

/** Logit of a pre-collected feature vector (training and validation). */
export function vectorLogit(model: Pick<LinearModel, 'weights' | 'bias'>, vector: FeatureVector): number {
  const { buckets, charCount } = vector;
  const weights = model.weights;
  let charSum = 0;
  for (let index = 0; index < charCount; index++) charSum += weights[buckets[index]!]!;
  let wordSum = 0;
  for (let index = charCount; index < buckets.length; index++) wordSum += weights[buckets[index]!]!;
  const wordCount = buckets.length - charCount;
  return (
    model.bias +
    (charCount > 0 ? charSum / Math.sqrt(charCount) : 0) +
    (wordCount > 0 ? wordSum / Math.sqrt(wordCount) : 0)
  );
}

/**
 * Weights as 8-bit integers with one scale, built once per weight array (the weights must not change
 * after first scoring). Inference reads about four random buckets per character, so it is bound by cache
 * misses: a quarter of the memory of Float32 (256 KiB for the shipped 2^18 buckets) keeps the table in a
 * core's L2 cache beside the other detectors' data. The scale covers the 99.9th
 * percentile of |w|; the few larger weights are marked `OUTLIER` and kept exactly in a map, so the
 * rounding error of every weight is at most that percentile / 254 (checked in `linear-model.test.ts`).
 */
interface QuantizedWeights {
  values: Int8Array;
  outliers: ReadonlyMap<number, number>;
  scale: number;
}

const quantizedCache = new WeakMap<Float32Array, QuantizedWeights>();
const COVERED_SHARE = 0.999;
const HISTOGRAM_BINS = 4096;

/** The |w| below which `COVERED_SHARE` of the non-zero weights lie (histogram upper bin edge). */
function coveredMagnitude(weights: Float32Array, maxAbs: number): number {
  const histogram = new Uint32Array(HISTOGRAM_BINS);
  let nonZero = 0;
  for (let index = 0; index < weights.length; index++) {
    const magnitude = Math.abs(weights[index]!);
    if (magnitude === 0) continue;
    nonZero++;
    histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor((magnitude / maxAbs) * HISTOGRAM_BINS))]!++;
  }
  let seen = 0;
  for (let bin = 0; bin < HISTOGRAM_BINS; bin++) {
    seen += histogram[bin]!;
    if (seen >= nonZero * COVERED_SHARE) return ((bin + 1) / HISTOGRAM_BINS) * maxAbs;
  }
  return maxAbs;
}

function quantized(weights: Float32Array): QuantizedWeights {
  const cached = quantizedCache.get(weights);
  if (cached) return cached;
  let maxAbs = 0;
  for (let index = 0; index < weights.length; index++) maxAbs = Math.max(maxAbs, Math.abs(weights[index]!));
  const scale = maxAbs > 0 ? coveredMagnitude(weights, maxAbs) / 127 : 1;
  const values = new Int8Array(weights.length);
  const outliers = new Map<number, number>();
  for (let index = 0; index < weights.length; index++) {
    const scaled = weights[index]! / scale;
    const rounded = Math.round(scaled);
    if (rounded >= -127 && rounded <= 127) values[index] = rounded;
    else {
      values[index] = OUTLIER;
      outliers.set(index, scaled);
    }
  }
  const result = { values, outliers, scale };
  quantizedCache.set(weights, result);
  return result;
}

/** Logit of `text[start, end)`. */
export function rangeLogit(model: LinearModel, text: string, range: { start: number; end: number }): number {
  const { values, outliers, scale } = quantized(model.weights);
  const sums = emptyFeatureSums();
  sumFeatureWeights(
    text,
    { start: range.start, end: range.end, spec: model.spec, weights: values, outliers },
    sums,
  );
  return logitOf(model.bias, sums, scale);
}

function logitOf(
  bias: number,
  sums: { charSum: number; charCount: number; wordSum: number; wordCount: number },
  scale: number,
): number {
  return (
    bias +
    scale *
      ((sums.charCount > 0 ? sums.charSum / Math.sqrt(sums.charCount) : 0) +
        (sums.wordCount > 0 ? sums.wordSum / Math.sqrt(sums.wordCount) : 0))
  );
}

/** Start offsets of the windows that cover a text of `length` (half-window stride). */
export function windowStarts(length: number, windowChars: number): number[] {
  if (length <= windowChars) return [0];
  const stride = Math.max(1, Math.floor(windowChars / 2));
  const starts: number[] = [];
  for (let start = 0; start + windowChars < length; start += stride) starts.push(start);
  starts.push(length - windowChars);
  return starts;
}

/** A scored window of a text. */
export interface WindowLogit {
  start: number;
  end: number;
  logit: number;
}

/**
 * Logits of the overlapping windows of a text in one pass: the text is hashed once in half-window blocks
 * and each window sums two neighbouring blocks, so long texts cost the same per byte as short ones
 * (n-grams that straddle a block edge are dropped, a negligible share).
 */
export function windowLogits(model: LinearModel, text: string): WindowLogit[] {
  if (text.length <= model.windowChars) {
    return [{ start: 0, end: text.length, logit: rangeLogit(model, text, { start: 0, end: text.length }) }];
  }
  const half = Math.max(1, Math.floor(model.windowChars / 2));
  const blocks: {
    start: number;
    end: number;
    charSum: number;
    charCount: number;
    wordSum: number;
    wordCount: number;
  }[] = [];
  const { values, outliers, scale } = quantized(model.weights);
  for (let start = 0; start < text.length; start += half) {
    const end = Math.min(text.length, start + half);
    const sums = emptyFeatureSums();
    sumFeatureWeights(text, { start, end, spec: model.spec, weights: values, outliers }, sums);
    blocks.push({ start, end, ...sums });
  }
  const windows: WindowLogit[] = [];
  for (let index = 0; index + 1 < blocks.length; index++) {
    const left = blocks[index]!;
    const right = blocks[index + 1]!;
    windows.push({
      start: left.start,
      end: right.end,
      logit: logitOf(
        model.bias,
        {
          charSum: left.charSum + right.charSum,
          charCount: left.charCount + right.charCount,
          wordSum: left.wordSum + right.wordSum,
          wordCount: left.wordCount + right.wordCount,
        },
        scale,
      ),
    });
  }
  return windows;
}

/**
 * Probability that `text` is an injection: the maximum over overlapping windows, so a payload buried in a
 * long document is not diluted. Empty or blank text scores 0.
 */
export function scoreText(model: LinearModel, text: string): number {
  if (text.trim().length === 0) return 0;
  let best = Number.NEGATIVE_INFINITY;
  for (const window of windowLogits(model, text)) if (window.logit > best) best = window.logit;
  return sigmoid(best);
}
