import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHdf5Attribute } from '../test-support/hdf5-builder.js';
import { ruleIds, scanBytes } from '../test-support/scan-bytes.js';

// Key order Keras never writes: the config does not start with {"class_name": and the old marker
// search alone missed it. json.loads does not care, so Keras would load the Lambda layer.
const reordered = JSON.stringify({
  config: { layers: [{ config: { name: 'l', function: 'x' }, class_name: 'Lambda' }] },
  class_name: 'Sequential',
});
const kerasOrder = JSON.stringify({
  class_name: 'Sequential',
  config: { layers: [{ class_name: 'Lambda', config: { name: 'l', function: 'x' } }] },
});
const benign = JSON.stringify({
  class_name: 'Sequential',
  config: { layers: [{ class_name: 'Dense', config: {} }] },
});

describe('scanHdf5 model_config attribute', () => {
  it.each([1, 2, 3] as const)(
    'reads a fixed-length attribute (message version %i) whatever the JSON order',
    (version) => {
      const h5 = buildHdf5Attribute({
        name: 'model_config',
        value: reordered,
        storage: 'fixed',
        messageVersion: version,
      });
      const result = scanBytes(h5);
      expect(result.format).toBe('keras-h5');
      expect(ruleIds(result)).toEqual(['keras.lambda-layer']);
    },
  );

  it('follows a variable-length string into the global heap', () => {
    for (const superblockVersion of [0, 2] as const) {
      const h5 = buildHdf5Attribute({
        name: 'model_config',
        value: reordered,
        storage: 'variable',
        superblockVersion,
      });
      const result = scanBytes(h5);
      expect(result.format).toBe('keras-h5');
      expect(ruleIds(result)).toEqual(['keras.lambda-layer']);
    }
  });

  it('reports a config in the usual layout once, and passes a benign one', () => {
    const usual = buildHdf5Attribute({ name: 'model_config', value: kerasOrder, storage: 'fixed' });
    expect(ruleIds(scanBytes(usual))).toEqual(['keras.lambda-layer']);
    const clean = buildHdf5Attribute({ name: 'model_config', value: benign, storage: 'variable' });
    expect(scanBytes(clean)).toEqual({ format: 'keras-h5', findings: [] });
  });

  it('reports a model_config it cannot read instead of passing the file', () => {
    const dangling = buildHdf5Attribute({
      name: 'model_config',
      value: reordered,
      storage: 'variable',
      heapAddress: 2048,
    });
    const result = scanBytes(dangling);
    expect(result.format).toBe('hdf5');
    expect(ruleIds(result)).toEqual(['keras.config-invalid']);
    // A shared (committed) datatype is not followed: reported, not passed.
    const shared = buildHdf5Attribute({
      name: 'model_config',
      value: reordered,
      storage: 'fixed',
      messageVersion: 2,
    });
    shared[513] = 0x01;
    expect(ruleIds(scanBytes(shared))).toEqual(['keras.config-invalid']);
  });

  it('never throws on damaged attribute messages and heaps', () => {
    const sample = buildHdf5Attribute({ name: 'model_config', value: reordered, storage: 'variable' });
    const edits = fc.array(fc.tuple(fc.integer({ min: 0, max: 4700 }), fc.integer({ min: 0, max: 255 })), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(edits, (changes) => {
        const mutated = sample.slice();
        for (const [at, byte] of changes) if (at < mutated.length) mutated[at] = byte;
        const result = scanBytes(mutated);
        return Array.isArray(result.findings);
      }),
      { numRuns: 200 },
    );
  });
});
