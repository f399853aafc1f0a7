import type { Severity } from '../spec/severity.js';

/** Verdict of one scanned file, from best to worst (`error` = could not be scanned). */
export const SCAN_VERDICTS = ['clean', 'suspicious', 'malicious', 'error'] as const;
export type ScanVerdict = (typeof SCAN_VERDICTS)[number];

/** One thing a scanner noticed in a model file. Findings are data; messages are plain sentences. */
export interface ScanFinding {
  /** Stable rule id from `RULES` (e.g. `pickle.dangerous-global`). */
  rule: string;
  severity: Severity;
  message: string;
  /** Where in the file: member path inside archives, byte offset, tensor or layer name. */
  location: string;
  /** CVE, CWE and MITRE ATLAS ids that explain the risk. */
  references: string[];
}

/** The result for one file on disk. */
export interface FileReport {
  path: string;
  /** Detected container or serialization format (`pickle`, `pytorch-zip`, `safetensors`, …, `unknown`). */
  format: string;
  verdict: ScanVerdict;
  findings: ScanFinding[];
  /** Size in bytes. */
  size: number;
  /** Why the file could not be scanned (verdict `error`). */
  error?: string;
}

/** Counts over a whole scan. */
export interface ScanSummary {
  files: number;
  clean: number;
  suspicious: number;
  malicious: number;
  error: number;
  /** Bytes of all scanned files (not bytes read: tensor data is skipped). */
  bytes: number;
  durationMs: number;
}

/** The report returned by `scanPaths` and rendered by the report writers. */
export interface ScanReport {
  files: FileReport[];
  summary: ScanSummary;
}

/** Progress events emitted while scanning. */
export type ScanEvent =
  | { type: 'file-start'; path: string; index: number; total: number }
  | { type: 'file-done'; path: string; index: number; total: number; report: FileReport };
