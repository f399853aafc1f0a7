// PII detector throughput (`npm run bench -- pii`): the whole detector and each recognizer on the
// generated guard corpus, against a single-regex baseline measured in the same run. Target: well above
// 60 MB/s on ordinary chat text so the guard's 20 MB/s budget holds with all families together.

import { PII_RECOGNIZERS } from '../src/detect/pii/recognizers.js';
import { createScanInput } from '../src/detect/pii/scan-input.js';
import { createPiiDetector } from '../src/detect/pii.js';
import { identityText } from '../src/spec/text.js';
import { fastestPass } from './support/fastest-pass.js';
import { guardCorpus } from './support/guard-corpus.js';

const MEGABYTE = 1e6;

/** Best CPU seconds of repeated passes (the machine may be shared; CPU time is what one core costs). */
const bestCpuSeconds = (pass: () => void, minimumSeconds: number): number =>
  fastestPass(pass, minimumSeconds).cpuSeconds;

function line(options: { name: string; bytes: number; cpuSeconds: number; extra?: Record<string, unknown> }) {
  return {
    name: options.name,
    bytes: options.bytes,
    cpuSeconds: Number(options.cpuSeconds.toFixed(4)),
    mbPerCpuSecond: Number((options.bytes / MEGABYTE / Math.max(options.cpuSeconds, 1e-6)).toFixed(1)),
    ...options.extra,
  };
}

/** Runs the benchmark and returns one result object per line. */
export function run(): Record<string, unknown>[] {
  const items = guardCorpus();
  const corpora = {
    mixed: items.map((item) => item.text),
    chat: items.filter((item) => item.kind === 'chat').map((item) => item.text),
  };
  const results: Record<string, unknown>[] = [];
  for (const [corpus, texts] of Object.entries(corpora)) {
    const bytes = texts.reduce((total, text) => total + Buffer.byteLength(text, 'utf8'), 0);
    const baselinePattern = /[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{2,63}/g;
    const baseline = bestCpuSeconds(() => {
      for (const text of texts) for (const _match of text.matchAll(baselinePattern));
    }, 1);
    results.push(line({ name: `baseline-email-regex-${corpus}`, bytes, cpuSeconds: baseline }));
    // First pass on a fresh detector process state is "cold" for the phone-number cache.
    const detector = createPiiDetector();
    const detectAll = () => {
      for (const text of texts) detector.detect(text, { role: 'user', normalized: identityText(text) });
    };
    const coldStart = process.cpuUsage();
    detectAll();
    const coldUsed = process.cpuUsage(coldStart);
    results.push(
      line({
        name: `pii-cold-first-pass-${corpus}`,
        bytes,
        cpuSeconds: (coldUsed.user + coldUsed.system) / 1e6,
      }),
    );
    const warm = bestCpuSeconds(detectAll, 3);
    results.push(
      line({
        name: `pii-all-${corpus}`,
        bytes,
        cpuSeconds: warm,
        extra: { baselineRatio: Number((baseline / warm).toFixed(3)) },
      }),
    );
  }
  const texts = corpora.mixed;
  const bytes = texts.reduce((total, text) => total + Buffer.byteLength(text, 'utf8'), 0);
  for (const recognizer of PII_RECOGNIZERS) {
    const cpuSeconds = bestCpuSeconds(() => {
      for (const text of texts) recognizer.find(createScanInput(text, 'US'));
    }, 0.3);
    results.push(line({ name: `pii-recognizer-${recognizer.name}`, bytes, cpuSeconds }));
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of run()) process.stdout.write(`${JSON.stringify({ bench: 'pii', ...result })}\n`);
}
