import type { FeatureSpec, FeatureVector } from './hashed-features.js';
import { type LinearModel, sigmoid, vectorLogit } from './linear-model.js';
import { createSeededRandom } from './seeded-random.js';

/** One training row: its features, label (1 = injection) and sample weight. */
export interface TrainingExample {
  vector: FeatureVector;
  label: 0 | 1;
  weight: number;
}

/** Hyperparameters of `trainLogistic`. */
export interface TrainLogisticOptions {
  spec: FeatureSpec;
  windowChars: number;
  epochs: number;
  /** AdaGrad base learning rate. */
  learningRate: number;
  /** L2 penalty applied to the weights a row touches (lazy, per update). */
  l2: number;
  seed: number;
  /** Called after each epoch with the mean weighted log loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Trains logistic regression with AdaGrad over hashed sparse features, visiting rows in a seeded
 * shuffled order: the same data and seed give bit-identical weights.
 */
export function trainLogistic(
  examples: readonly TrainingExample[],
  options: TrainLogisticOptions,
): LinearModel {
  const bucketCount = 2 ** options.spec.bits;
  const weights = new Float32Array(bucketCount);
  const squaredGradients = new Float32Array(bucketCount);
  let bias = 0;
  let biasSquaredGradient = 0;
  const random = createSeededRandom(options.seed);
  const order = examples.map((_, index) => index);
  const epsilon = 1e-6;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    random.shuffle(order);
    let lossSum = 0;
    let weightSum = 0;
    for (const exampleIndex of order) {
      const example = examples[exampleIndex]!;
      const { buckets, charCount } = example.vector;
      const logit = vectorLogit({ weights, bias }, example.vector);
      const probability = sigmoid(logit);
      const clipped = Math.min(1 - 1e-7, Math.max(1e-7, probability));
      lossSum -= example.weight * (example.label === 1 ? Math.log(clipped) : Math.log(1 - clipped));
      weightSum += example.weight;
      const gradient = (probability - example.label) * example.weight;
      const wordCount = buckets.length - charCount;
      const charScale = charCount > 0 ? 1 / Math.sqrt(charCount) : 0;
      const wordScale = wordCount > 0 ? 1 / Math.sqrt(wordCount) : 0;
      for (let index = 0; index < buckets.length; index++) {
        const bucket = buckets[index]!;
        const scale = index < charCount ? charScale : wordScale;
        const weight = weights[bucket]!;
        const step = gradient * scale + options.l2 * weight;
        const accumulated = squaredGradients[bucket]! + step * step;
        squaredGradients[bucket] = accumulated;
        weights[bucket] = weight - (options.learningRate * step) / Math.sqrt(accumulated + epsilon);
      }
      biasSquaredGradient += gradient * gradient;
      bias -= (options.learningRate * gradient) / Math.sqrt(biasSquaredGradient + epsilon);
    }
    options.onEpoch?.(epoch, weightSum > 0 ? lossSum / weightSum : 0);
  }
  return { spec: options.spec, weights, bias, windowChars: options.windowChars };
}
