import type { Family, Finding } from './finding.js';
import type { Role } from './role.js';
import type { NormalizedText } from './text.js';

/** What a detector knows about the text it looks at. */
export interface DetectContext {
  /** Who wrote the text. */
  role: Role;
  /** Normalized view of the text (built once by the guard and shared by all detectors). */
  normalized: NormalizedText;
  /** The system prompt of the conversation, for leak detection in output. */
  systemPrompt?: string;
  /** Canary tokens planted in prompts; seeing one in output is a leak. */
  canaries?: readonly string[];
  /** Hosts that links and images in output may point to. */
  allowedHosts?: readonly string[];
}

/** A synchronous, pure detector: text in, findings out. Throws only when it fails. */
export interface Detector {
  /** Stable id; also used in `--detectors`. */
  readonly id: string;
  readonly family: Family;
  detect(text: string, context: DetectContext): Finding[];
}

/**
 * A detector that needs I/O (a local ONNX model, an LLM judge). Used by `guard.checkAsync` only.
 */
export interface AsyncDetector {
  readonly id: string;
  readonly family: Family;
  detect(text: string, context: DetectContext): Promise<Finding[]>;
}

/**
 * One signal feeding the combined injection score (rules, learned model, …). Returns a probability-like
 * value 0..1 and optional findings that explain it.
 */
export interface InjectionSignal {
  readonly name: string;
  score(text: string, context: DetectContext): { score: number; findings: Finding[] };
}
