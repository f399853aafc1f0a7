import type { Detector } from '../spec/detector.js';
import { createInjectionDetector, type InjectionDetectorOptions } from './injection.js';
import { createOutputDetector } from './output.js';
import { createPiiDetector } from './pii.js';
import { createSecretsDetector } from './secrets.js';
import { createUnicodeDetector } from './unicode.js';

/** Options passed to every built-in detector factory. */
export interface DetectorFactoryOptions {
  /** Family-specific options from the policy (opaque here; each factory validates its own). */
  [key: string]: unknown;
}

/** A built-in detector: its id and its factory. Listed as data; nothing registers itself on import. */
export interface DetectorEntry {
  id: string;
  create(options?: DetectorFactoryOptions): Detector;
}

/** Built-in detectors, in the order the guard runs them. */
export const BUILTIN_DETECTORS: readonly DetectorEntry[] = [
  { id: 'unicode', create: () => createUnicodeDetector() },
  { id: 'injection', create: (options) => createInjectionDetector(options as InjectionDetectorOptions) },
  { id: 'pii', create: createPiiDetector },
  { id: 'secrets', create: createSecretsDetector },
  { id: 'output', create: createOutputDetector },
];
