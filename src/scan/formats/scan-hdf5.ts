import type { ByteSource } from '../byte-source.js';
import { makeFinding } from '../finding.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { readHdf5StringAttributes } from './hdf5-attribute.js';
import { checkKerasConfig } from './keras-config.js';
import type { FormatResult, ScanContext } from './scan-context.js';

const CHUNK_BYTES = 4 * 1024 * 1024;
// Bounds the work on files full of decoy markers: each attempt may read up to the JSON limit.
const MAX_ATTEMPTS = 32;
const MARKERS = ['{"class_name":', '{"module":'].map((text) => Buffer.from(text, 'latin1'));

/**
 * Extracts the JSON object starting at `start` by matching braces outside strings. Returns null when it
 * does not close within `maxBytes`.
 */
function extractJson(source: ByteSource, start: number, maxBytes: number): string | null {
  const bytes = source.read(start, maxBytes);
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (inString) {
      if (byte === 0x5c) index++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b) depth++;
    else if (byte === 0x7d && --depth === 0) return new TextDecoder().decode(bytes.subarray(0, index + 1));
  }
  return null;
}

/**
 * Keras `.h5` files keep the model as JSON in the `model_config` attribute of the root group. The
 * attribute message is found by its name and its value read structurally (fixed-length in place, or
 * variable-length from the global heap), so the JSON is checked whatever its layout; as a second net
 * the first `maxHdf5SearchBytes` are searched for JSON that starts the way Keras writes it (configs
 * under other attribute names). A model_config that cannot be read is reported, never passed as clean.
 */
export function scanHdf5(source: ByteSource, context: ScanContext): FormatResult {
  const findings: ScanFinding[] = [];
  const end = Math.min(source.size, context.limits.maxHdf5SearchBytes);
  const maxJson = Math.min(context.limits.maxJsonBytes, 16 * 1024 * 1024);
  let found = 0;
  let attempts = 0;
  const attributes = readHdf5StringAttributes(source, {
    name: 'model_config',
    searchBytes: end,
    maxValueBytes: maxJson,
    maxHits: 8,
  });
  // Byte ranges already checked as a whole attribute value: the marker search skips them.
  const checked = attributes.values.map((value) => [value.start, value.end] as const);
  for (const value of attributes.values) {
    let config: unknown;
    try {
      config = JSON.parse(value.text);
    } catch {
      findings.push(
        makeFinding({
          rule: RULES.kerasConfig,
          message: 'model_config JSON does not parse',
          location: `${context.location}@${value.start}`,
        }),
      );
      continue;
    }
    found++;
    findings.push(...checkKerasConfig(config, `${context.location}:model_config`));
  }
  for (let offset = 0; offset < end && found < 8 && attempts < MAX_ATTEMPTS; offset += CHUNK_BYTES - 32) {
    const chunk = Buffer.from(source.read(offset, Math.min(CHUNK_BYTES, end - offset)));
    for (const marker of MARKERS) {
      for (
        let index = chunk.indexOf(marker);
        index >= 0 && found < 8 && attempts < MAX_ATTEMPTS;
        index = chunk.indexOf(marker, index + 1)
      ) {
        const at = offset + index;
        if (checked.some(([start, stop]) => at >= start && at < stop)) continue;
        attempts++;
        const json = extractJson(source, at, maxJson);
        if (json === null) continue;
        let config: unknown;
        try {
          config = JSON.parse(json);
        } catch {
          findings.push(
            makeFinding({
              rule: RULES.kerasConfig,
              message: 'model_config JSON does not parse',
              location: `${context.location}@${offset + index}`,
            }),
          );
          continue;
        }
        found++;
        findings.push(...checkKerasConfig(config, `${context.location}:model_config`));
        index += json.length - 1;
      }
    }
    if (offset + CHUNK_BYTES >= end) break;
  }
  if (attributes.unreadable.length > 0 && found === 0) {
    findings.push(
      makeFinding({
        rule: RULES.kerasConfig,
        message:
          'a model_config attribute could not be read (shared, compressed or damaged); the model config was not checked',
        location: `${context.location}@${attributes.unreadable[0]}`,
      }),
    );
  }
  if (attempts >= MAX_ATTEMPTS && found === 0) {
    findings.push(
      makeFinding({
        rule: RULES.scanLimit,
        message: `${MAX_ATTEMPTS} candidate model_config strings did not parse; search stopped`,
        location: context.location,
      }),
    );
  }
  return { findings, format: found > 0 ? 'keras-h5' : 'hdf5' };
}
