import { severityAtLeast } from '../spec/severity.js';
import type { ScanFinding, ScanVerdict } from './types.js';

/** Verdict from findings: high or critical → malicious, low or medium → suspicious, info only → clean. */
export function verdictOf(findings: readonly ScanFinding[]): ScanVerdict {
  if (findings.some((finding) => severityAtLeast(finding.severity, 'high'))) return 'malicious';
  if (findings.some((finding) => severityAtLeast(finding.severity, 'low'))) return 'suspicious';
  return 'clean';
}
