import { describe, expect, it } from 'vitest';
import { isAegisError } from '../spec/errors.js';
import type { LinearModel } from './linear-model.js';
import { decodeModel, encodeModel } from './model-file.js';

function tinyModel(): LinearModel {
  const weights = new Float32Array(2 ** 10);
  for (let index = 0; index < weights.length; index++) weights[index] = Math.sin(index) * 2;
  return {
    spec: { bits: 10, charMin: 2, charMax: 5, wordBigrams: true },
    weights,
    bias: -0.5,
    windowChars: 512,
  };
}

describe('model file', () => {
  it('round-trips a model within half precision', () => {
    const model = tinyModel();
    const { model: decoded, metadata } = decodeModel(encodeModel(model, { seed: 7 }));
    expect(metadata).toEqual({ seed: 7 });
    expect(decoded.spec).toEqual(model.spec);
    expect(decoded.bias).toBe(-0.5);
    for (let index = 0; index < model.weights.length; index++) {
      expect(Math.abs(decoded.weights[index]! - model.weights[index]!)).toBeLessThan(2e-3);
    }
  });

  it('rejects bad magic, truncation and bad headers with AEGIS_MODEL_INVALID', () => {
    const bytes = encodeModel(tinyModel());
    const badMagic = bytes.slice();
    badMagic[0] = 0x41 + 1;
    const cases = [new Uint8Array(3), badMagic, bytes.slice(0, bytes.length - 2)];
    const header = new TextEncoder().encode('{"format":"other"}');
    const badHeader = new Uint8Array(12 + header.length);
    badHeader.set(new TextEncoder().encode('AEGISLM1'));
    new DataView(badHeader.buffer).setUint32(8, header.length, true);
    badHeader.set(header, 12);
    cases.push(badHeader);
    for (const input of cases) {
      let caught: unknown;
      try {
        decodeModel(input);
      } catch (error) {
        caught = error;
      }
      expect(isAegisError(caught, 'AEGIS_MODEL_INVALID')).toBe(true);
    }
  });
});
