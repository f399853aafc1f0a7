// Injection detector throughput per part (`npm run bench -- injection`): the rule signal, the learned model
// and both together as the balanced guard runs them, on the guard corpus already normalized (so the
// shared pipeline is not counted), plus 1 MB adversarial texts. MB per CPU-second of this process, with a
// lowercase-and-split pass over the same texts as the baseline of the same run.

import { evaluateRules } from '../src/detect/injection/rule-signal.js';
import { createInjectionDetector } from '../src/detect/injection.js';
import { normalizeText } from '../src/detect/normalize.js';
import { loadDefaultModel } from '../src/learn/load-model.js';
import { MODEL_CALIBRATION, MODEL_FLOOR } from '../src/learn/model-calibration.js';
import { bestWindow, createModelSignal } from '../src/learn/model-signal.js';
import type { Role } from '../src/spec/role.js';
import type { NormalizedText } from '../src/spec/text.js';
import { fastestPass } from './support/fastest-pass.js';
import { guardCorpus } from './support/guard-corpus.js';

const MEGABYTE = 1e6;

function line(name: string, bytes: number, pass: () => void): Record<string, unknown> {
  const { cpuSeconds } = fastestPass(pass, 2);
  return {
    name,
    bytes,
    cpuSeconds: Number(cpuSeconds.toFixed(4)),
    mbPerCpuSecond: Number((bytes / MEGABYTE / Math.max(cpuSeconds, 1e-6)).toFixed(2)),
  };
}

interface Prepared {
  role: Role;
  text: string;
  normalized: NormalizedText;
}

/** The injection benchmark lines. */
export function run(): Record<string, unknown>[] {
  const items: Prepared[] = guardCorpus().map((item) => ({
    role: item.role,
    text: item.text,
    normalized: normalizeText(item.text),
  }));
  const bytes = items.reduce((total, item) => total + Buffer.byteLength(item.text, 'utf8'), 0);
  const results: Record<string, unknown>[] = [];
  let sink = 0;
  results.push(
    line('injection-baseline-lowercase-split', bytes, () => {
      for (const item of items) sink += item.normalized.text.toLowerCase().split(/\s+/).length;
    }),
  );
  results.push(
    line('injection-rules', bytes, () => {
      for (const item of items) sink += evaluateRules(item.normalized, { role: item.role }).score;
    }),
  );
  const stored = loadDefaultModel();
  if (stored) {
    const model = stored.model;
    results.push(
      line('injection-model', bytes, () => {
        for (const item of items) sink += bestWindow(model, item.normalized.text).score;
      }),
    );
    const detector = createInjectionDetector({
      signals: [createModelSignal({ model, abstainBelow: MODEL_FLOOR })],
      calibration: MODEL_CALIBRATION,
    });
    results.push(
      line('injection-rules-and-model', bytes, () => {
        for (const item of items) {
          sink += detector.detect(item.text, { role: item.role, normalized: item.normalized }).length;
        }
      }),
    );
  }
  // Long runs of what the rules and decoders look for: work stays linear in the size.
  const adversarial = ['ignore previous ', 'QUJD', '%41', '41 ', 'a1 ', '<|'].map((unit) =>
    unit.repeat(Math.ceil(MEGABYTE / unit.length)).slice(0, MEGABYTE),
  );
  const rules = createInjectionDetector();
  results.push(
    line('injection-rules-1mb-adversarial', adversarial.length * MEGABYTE, () => {
      for (const text of adversarial)
        sink += rules.detect(text, { role: 'user', normalized: normalizeText(text) }).length;
    }),
  );
  if (sink === Number.NEGATIVE_INFINITY) process.stderr.write('unreachable\n');
  return results;
}
