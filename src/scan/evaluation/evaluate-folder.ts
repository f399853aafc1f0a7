import { relative } from 'node:path';
import { scanPaths } from '../scan-paths.js';
import type { FileReport } from '../types.js';
import { type Expectation, expectedVerdict } from './expected-verdict.js';

/** One scanned sample with its expectation. */
export interface EvaluatedFile {
  path: string;
  expectation: Expectation;
  report: FileReport;
  /** Detected (malicious or suspicious) for a hostile sample, clean for a benign one. */
  agrees: boolean;
}

/** Rates over the labelled samples. */
export interface EvaluationResult {
  files: EvaluatedFile[];
  hostile: number;
  benign: number;
  unlabelled: number;
  /** Hostile samples flagged malicious or suspicious. */
  detected: number;
  /** Hostile samples flagged malicious. */
  detectedMalicious: number;
  /** Benign samples not clean. */
  falsePositives: number;
  /** Benign samples flagged malicious. */
  falsePositivesMalicious: number;
}

/** Scans a folder of labelled samples and compares each verdict with the one its path implies. */
export async function evaluateFolder(folder: string): Promise<EvaluationResult> {
  const report = await scanPaths([folder]);
  const files = report.files.map((file): EvaluatedFile => {
    const path = relative(folder, file.path);
    const expectation = expectedVerdict(path);
    const flagged = file.verdict === 'malicious' || file.verdict === 'suspicious';
    const agrees =
      expectation.expected === 'malicious'
        ? flagged
        : expectation.expected === 'clean'
          ? file.verdict === 'clean'
          : true;
    return { path, expectation, report: file, agrees };
  });
  const of = (expected: Expectation['expected']): EvaluatedFile[] =>
    files.filter((file) => file.expectation.expected === expected);
  const hostile = of('malicious');
  const benign = of('clean');
  return {
    files,
    hostile: hostile.length,
    benign: benign.length,
    unlabelled: of('unlabelled').length,
    detected: hostile.filter((file) => file.agrees).length,
    detectedMalicious: hostile.filter((file) => file.report.verdict === 'malicious').length,
    falsePositives: benign.filter((file) => file.report.verdict !== 'clean').length,
    falsePositivesMalicious: benign.filter((file) => file.report.verdict === 'malicious').length,
  };
}
