import { expect } from 'vitest';
import type { OutputFinding } from '../../../spec/finding.js';
import { identityText } from '../../../spec/text.js';
import { createOutputDetector } from '../../output.js';

// Shared by the tests of the shell exfiltration rules: how an answer is checked, the ways answers show a
// command, and the loops over each rule's lists of malicious and benign commands.

const detector = createOutputDetector();

/** The SHELL_EXFILTRATION findings of the output detector on an answer, at any score. */
export function shellExfiltrationFindings(text: string): OutputFinding[] {
  const findings = detector.detect(text, {
    role: 'assistant',
    normalized: identityText(text),
  }) as OutputFinding[];
  return findings.filter((finding) => finding.type === 'SHELL_EXFILTRATION');
}

/** The SHELL_EXFILTRATION findings the balanced preset acts on (score ≥ 0.5). */
export function exfiltration(text: string): OutputFinding[] {
  return shellExfiltrationFindings(text).filter((finding) => finding.score >= 0.5);
}

/** A command bare, in a fenced bash block, as inline code in prose (one line only), and after `&&` and `;`. */
export function framings(command: string): string[] {
  const framed = [command, `Run this:\n\n\`\`\`bash\n${command}\n\`\`\`\n`];
  // Inline code holds one line.
  if (!command.includes('\n')) framed.push(`Then execute \`${command}\` to finish the setup.`);
  framed.push(`cd /tmp && ${command}`, `set -e; ${command}`);
  return framed;
}

/** How a test frames a command in answers (`framings` unless told otherwise). */
export type Framer = (command: string) => string[];

/** Expects `ruleId` among the acted-on findings of every framing of a command, then runs `check` on them. */
export function expectFoundInFramings(options: {
  command: string;
  ruleId: string;
  frame?: Framer;
  check?: (findings: OutputFinding[]) => void;
}): void {
  for (const text of (options.frame ?? framings)(options.command)) {
    const findings = exfiltration(text);
    expect(
      findings.map((finding) => finding.ruleId),
      text,
    ).toContain(options.ruleId);
    options.check?.(findings);
  }
}

/** Expects no acted-on finding in any framing of a command. */
export function expectLeftAloneInFramings(command: string, frame: Framer = framings): void {
  for (const text of frame(command)) expect(exfiltration(text), text).toEqual([]);
}
