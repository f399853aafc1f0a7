import { z } from 'zod';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';
import type { LinearModel } from './linear-model.js';

/**
 * The `.bin` model format: 8 magic bytes `AEGISLM1`, a uint32 little-endian header length, a UTF-8 JSON
 * header, zero padding to an even offset, then one IEEE binary16 little-endian weight per bucket.
 * Half precision keeps a 2^20-bucket model at 2 MB; the rounding error (< 0.1% relative) does not move
 * scores measurably.
 */
export const MODEL_MAGIC = 'AEGISLM1';

const headerSchema = z
  .object({
    format: z.literal('aegis-linear-model'),
    version: z.literal(1),
    dtype: z.literal('float16'),
    spec: z
      .object({
        bits: z.number().int().min(10).max(24),
        charMin: z.number().int().min(1).max(8),
        charMax: z.number().int().min(1).max(8),
        wordBigrams: z.boolean(),
      })
      .strict(),
    bias: z.number().finite(),
    windowChars: z.number().int().min(64).max(1_000_000),
    /** Free-form provenance (seed, data summary, metrics); never read by inference. */
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The JSON header of a model file. */
export type ModelHeader = z.infer<typeof headerSchema>;

/** A model plus the provenance stored with it. */
export interface StoredModel {
  model: LinearModel;
  metadata: Record<string, unknown>;
}

/** Serializes a model to the `.bin` format. */
export function encodeModel(model: LinearModel, metadata: Record<string, unknown> = {}): Uint8Array {
  const header: ModelHeader = {
    format: 'aegis-linear-model',
    version: 1,
    dtype: 'float16',
    spec: { ...model.spec },
    bias: model.bias,
    windowChars: model.windowChars,
    metadata,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 + 4 + headerBytes.length) % 2;
  const weightsOffset = 8 + 4 + headerBytes.length + padding;
  const bytes = new Uint8Array(weightsOffset + model.weights.length * 2);
  bytes.set(new TextEncoder().encode(MODEL_MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, 12);
  for (let index = 0; index < model.weights.length; index++) {
    view.setUint16(weightsOffset + index * 2, toFloat16Bits(model.weights[index]!), true);
  }
  return bytes;
}

function invalid(message: string, details?: Record<string, unknown>): AegisError {
  return new AegisError(ERROR_CODES.MODEL_INVALID, `invalid model file: ${message}`, { details });
}

/** Parses a `.bin` model; throws `AEGIS_MODEL_INVALID` naming what is wrong. */
export function decodeModel(bytes: Uint8Array): StoredModel {
  if (bytes.length < 12) throw invalid('too short');
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== MODEL_MAGIC) throw invalid(`bad magic (expected ${MODEL_MAGIC})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw invalid('header runs past the end of the file');
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerLength)),
    );
  } catch (error) {
    throw invalid('header is not UTF-8 JSON', { cause: String(error) });
  }
  const result = headerSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(`header field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const header = result.data;
  if (header.spec.charMin > header.spec.charMax) throw invalid('charMin is greater than charMax');
  const bucketCount = 2 ** header.spec.bits;
  const weightsOffset = 12 + headerLength + ((12 + headerLength) % 2);
  if (bytes.length !== weightsOffset + bucketCount * 2) {
    throw invalid(`expected ${bucketCount} float16 weights`, { bytes: bytes.length });
  }
  // Decode through a lookup table of all 65536 half values: one table read per weight.
  const table = new Float32Array(0x10000);
  for (let bits = 0; bits < 0x10000; bits++) table[bits] = fromFloat16Bits(bits);
  // Little-endian halves read through a Uint16Array (copied to an aligned buffer when needed).
  const raw = bytes.subarray(weightsOffset, weightsOffset + bucketCount * 2);
  const aligned = raw.byteOffset % 2 === 0 ? raw : raw.slice();
  const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, bucketCount);
  const weights = new Float32Array(bucketCount);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let index = 0; index < bucketCount; index++) {
    const bits = littleEndian ? halves[index]! : ((halves[index]! & 0xff) << 8) | (halves[index]! >>> 8);
    weights[index] = table[bits]!;
  }
  if (!weights.every(Number.isFinite)) throw invalid('weights contain NaN or infinity');
  return {
    model: { spec: header.spec, weights, bias: header.bias, windowChars: header.windowChars },
    metadata: header.metadata ?? {},
  };
}
