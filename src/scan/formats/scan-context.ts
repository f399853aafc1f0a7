import type { ScanLimits } from '../limits.js';
import type { ScanFinding } from '../types.js';

/** What every format scanner receives: where it is, how deep, and the shared limits and budget. */
export interface ScanContext {
  /** Location prefix for findings: the file name, or `archive.zip!member/path` inside containers. */
  location: string;
  limits: ScanLimits;
  /** Containers entered so far (0 for the file itself). */
  depth: number;
  /** Inflated bytes left for the whole file (shared by nested archives). */
  budget: { inflatedBytes: number };
  /** Folder of the file on disk, for checks of relative references (ONNX external data). */
  directory?: string;
}

/** Findings of one format scanner plus a more specific format name when it learned one. */
export interface FormatResult {
  findings: ScanFinding[];
  format?: string;
}
