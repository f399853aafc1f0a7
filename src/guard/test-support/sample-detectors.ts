import type { Detector } from '../../spec/detector.js';
import type { Finding } from '../../spec/finding.js';

// Small, real detectors for exercising the pipeline independently of the built-in ones.

function regexDetector(options: {
  id: string;
  family: 'pii' | 'secrets' | 'injection' | 'output' | 'unicode';
  pattern: RegExp;
  type: string;
  score: number;
  category: Finding['category'];
}): Detector {
  return {
    id: options.id,
    family: options.family,
    detect(text) {
      const findings: Finding[] = [];
      for (const match of text.matchAll(options.pattern)) {
        findings.push({
          family: options.family,
          detector: options.id,
          category: options.category,
          type: options.type,
          severity: 'high',
          score: options.score,
          start: match.index,
          end: match.index + match[0].length,
          ruleId: `${options.id}.${options.type.toLowerCase()}`,
          evidence: `${match[0].slice(0, 2)}…[${match[0].length}]`,
        } as Finding);
      }
      return findings;
    },
  };
}

/** Finds e-mail addresses. */
export const sampleEmailDetector = regexDetector({
  id: 'sample-email',
  family: 'pii',
  pattern: /[a-z0-9._-]{1,32}@[a-z0-9-]{1,32}\.[a-z]{2,8}/g,
  type: 'EMAIL_ADDRESS',
  score: 0.9,
  category: 'sensitive-data',
});

/** Finds phone numbers written +CC followed by 9–12 digits. */
export const samplePhoneDetector = regexDetector({
  id: 'sample-phone',
  family: 'pii',
  pattern: /\+[0-9]{11,14}/g,
  type: 'PHONE_NUMBER',
  score: 0.8,
  category: 'sensitive-data',
});

/** Finds `sk-` keys. */
export const sampleKeyDetector = regexDetector({
  id: 'sample-key',
  family: 'secrets',
  pattern: /sk-[A-Za-z0-9]{20,40}/g,
  type: 'OPENAI_API_KEY',
  score: 0.95,
  category: 'secret',
});

/** Finds one override phrase. */
export const sampleInjectionDetector = regexDetector({
  id: 'sample-injection',
  family: 'injection',
  pattern: /ignore (?:all )?previous instructions/gi,
  type: 'INSTRUCTION_OVERRIDE',
  score: 0.92,
  category: 'prompt-injection',
});

/** Finds markdown images pointing at any host. */
export const sampleImageDetector: Detector = {
  id: 'sample-image',
  family: 'output',
  detect(text) {
    const findings: Finding[] = [];
    for (const match of text.matchAll(/!\[[^\]]{0,100}\]\(https?:\/\/([a-z0-9.-]{1,100})[^)\s]{0,500}\)/g)) {
      findings.push({
        family: 'output',
        detector: 'sample-image',
        category: 'improper-output',
        type: 'MARKDOWN_IMAGE_EXFILTRATION',
        severity: 'high',
        score: 0.9,
        start: match.index,
        end: match.index + match[0].length,
        ruleId: 'sample-image.markdown-image',
        host: match[1],
      });
    }
    return findings;
  },
};

/** A detector of the given family that always throws. */
export function throwingDetector(family: Detector['family']): Detector {
  return {
    id: `broken-${family}`,
    family,
    detect() {
      throw new Error('index out of range');
    },
  };
}

/** All sample detectors that never throw. */
export const SAMPLE_DETECTORS: readonly Detector[] = [
  sampleInjectionDetector,
  sampleEmailDetector,
  samplePhoneDetector,
  sampleKeyDetector,
  sampleImageDetector,
];
