// Guard throughput and latency on a generated mixed corpus (`npm run bench -- guard`).
// Targets: ≥ 20 MB/s overall on one core with the balanced policy, p99 < 1 ms for a 2 KB prompt.
// The overall line is the steady state of a long-running process: measured after a warm-up (the cold
// first pass is reported beside it).

import { BUILTIN_DETECTORS } from '../src/detect/registry.js';
import { createGuard } from '../src/guard/create-guard.js';
import type { Guard } from '../src/guard/types.js';
import { learnedDetectorOptions } from '../src/learn/model-calibration.js';
import { FAMILIES } from '../src/spec/finding.js';
import { fastestPass, type Timing } from './support/fastest-pass.js';
import { type CorpusItem, fixedLengthPrompts, guardCorpus, shortChatTexts } from './support/guard-corpus.js';

const MEGABYTE = 1e6;

function utf8Bytes(items: readonly CorpusItem[]): number {
  return items.reduce((total, item) => total + Buffer.byteLength(item.text, 'utf8'), 0);
}

/** The fastest of repeated passes over at least `minimumSeconds` (1.5 s by default). */
const timePasses = (pass: () => void, minimumSeconds = 1.5, warmupSeconds = 0): Timing =>
  fastestPass(pass, minimumSeconds, { warmupSeconds });

/** Seconds of guard passes before the overall line is measured (the steady state, see `fastestPass`). */
const OVERALL_WARMUP_SECONDS = 4;
/**
 * Seconds of measured guard passes (about 25 at steady speed). Other guests on a shared machine only ever
 * slow a pass down, so the fastest of more passes is the closer estimate of what the code costs.
 */
const OVERALL_MEASURE_SECONDS = 6;

function throughput(options: {
  name: string;
  bytes: number;
  timing: Timing;
  extra?: Record<string, unknown>;
}) {
  const { bytes, timing } = options;
  return {
    name: options.name,
    bytes,
    seconds: Number(timing.seconds.toFixed(4)),
    cpuSeconds: Number(timing.cpuSeconds.toFixed(4)),
    mbPerSecond: Number((bytes / MEGABYTE / timing.seconds).toFixed(2)),
    mbPerCpuSecond: Number((bytes / MEGABYTE / Math.max(timing.cpuSeconds, 1e-6)).toFixed(2)),
    ...options.extra,
  };
}

function checkAll(
  guard: Guard,
  items: readonly CorpusItem[],
  detectors?: readonly string[],
): Record<string, number> {
  const actions: Record<string, number> = { allow: 0, flag: 0, redact: 0, block: 0 };
  for (const item of items) {
    const vault = guard.createVault();
    const verdict = guard.check(
      item.text,
      detectors ? { role: item.role, vault, detectors } : { role: item.role, vault },
    );
    actions[verdict.action] = (actions[verdict.action] ?? 0) + 1;
  }
  return actions;
}

/**
 * CPU microseconds per `guard.check` of short distinct texts (cache off, so every call does the full
 * work): the gateway checks each chat message several times per request, so the fixed cost per call
 * matters as much as throughput.
 */
function shortCheckLine(options: {
  name: string;
  guard: Guard;
  texts: readonly string[];
  role: 'user' | 'assistant';
}): Record<string, unknown> {
  const { guard, texts, role } = options;
  for (const text of texts) guard.check(text, { role, vault: guard.createVault() });
  let best = Number.POSITIVE_INFINITY;
  const started = process.hrtime.bigint();
  do {
    const cpu = process.cpuUsage();
    for (const text of texts) guard.check(text, { role, vault: guard.createVault() });
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / texts.length);
  } while (Number(process.hrtime.bigint() - started) / 1e9 < 1.5);
  const bytes = texts.reduce((total, text) => total + Buffer.byteLength(text, 'utf8'), 0);
  return {
    name: options.name,
    texts: texts.length,
    meanBytes: Math.round(bytes / texts.length),
    cpuMicrosecondsPerCheck: Number(best.toFixed(2)),
  };
}

// The texts of one gateway benchmark request (bench/gateway.ts): a fresh user prompt, the system prompt the
// gateway's clean-text cache skips, the answer and the answer's short top-level members (id, model), which
// the output guard checks with the system prompt.
const GATEWAY_SYSTEM_PROMPT =
  'You are the travel assistant of a small agency. Answer in a friendly, concise tone. Suggest itineraries ' +
  'with realistic walking distances, point out when tickets must be booked ahead, and never invent prices. ' +
  'When the traveller mentions accessibility needs, adapt every suggestion to them.';
const GATEWAY_PROMPT =
  'You are helping with a travel plan. I would like to visit Lisbon in late spring for five days, ' +
  'with two days of museums, one day trip to Sintra, and some time for local food. Please suggest an ' +
  'itinerary with approximate walking distances, and mention which places need tickets in advance.';
const GATEWAY_ANSWER =
  'Day 1: Belém (Jerónimos Monastery, tower) — about 3 km of walking. Day 2: Alfama and the castle. ' +
  'Day 3: Sintra by train, book Pena Palace tickets ahead. Day 4: Gulbenkian museum. Day 5: markets.';
const GATEWAY_MEMBERS = ['chatcmpl-bench', 'gpt-4o-mini', 'chatcmpl-benchgpt-4o-mini\ngpt-4o-mini'];

/** The fewest CPU µs per call of `call(i)` over passes of `count` calls for 1.5 s (after one pass). */
function cpuMicrosPerCall(count: number, call: (index: number) => void): number {
  let index = 0;
  for (let warm = 0; warm < count; warm++) call(index++);
  let best = Number.POSITIVE_INFINITY;
  const started = process.hrtime.bigint();
  do {
    const cpu = process.cpuUsage();
    for (let step = 0; step < count; step++) call(index++);
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / count);
  } while (Number(process.hrtime.bigint() - started) / 1e9 < 1.5);
  return Number(best.toFixed(2));
}

/**
 * CPU µs per guard call on the gateway benchmark's texts, as the gateway makes the calls: the user prompt
 * (fresh each time, as a message list with a new vault), the answer with the system prompt (a new string
 * per request, as parsed from each request), both with the findings cache off, and the answer plus its
 * three member texts through the cache (the gateway's guard keeps it on, and these repeat). The baseline
 * is the same calls on a guard whose detectors find nothing (normalization, role selection, policy, cache).
 */
export function gatewayTextLines(): Record<string, unknown>[] {
  const uncached = createGuard({ policy: 'balanced', cache: false });
  const cached = createGuard({ policy: 'balanced' });
  const silent = createGuard({
    policy: 'balanced',
    detectors: FAMILIES.map((family) => ({ id: `silent-${family}`, family, detect: () => [] })),
    cache: false,
  });
  const systemPrompts = Array.from({ length: 64 }, () => JSON.parse(JSON.stringify(GATEWAY_SYSTEM_PROMPT)));
  const prompt = (guard: Guard) => (index: number) =>
    guard.check([{ role: 'user', content: `${GATEWAY_PROMPT} (request ${index})` }], {
      vault: guard.createVault(),
    });
  const answer = (guard: Guard) => (index: number) =>
    guard.check(GATEWAY_ANSWER, { role: 'assistant', systemPrompt: systemPrompts[index & 63] });
  const outputs = (guard: Guard) => (index: number) => {
    const options = { role: 'assistant' as const, systemPrompt: systemPrompts[index & 63] };
    guard.check(GATEWAY_ANSWER, options);
    for (const member of GATEWAY_MEMBERS) guard.check(member, options);
  };
  return [
    {
      name: 'guard-gateway-prompt-user',
      characters: GATEWAY_PROMPT.length + 14,
      cpuMicrosecondsPerCheck: cpuMicrosPerCall(2000, prompt(uncached)),
      baselinePipelineOnly: cpuMicrosPerCall(2000, prompt(silent)),
    },
    {
      name: 'guard-gateway-answer-assistant',
      characters: GATEWAY_ANSWER.length,
      cpuMicrosecondsPerCheck: cpuMicrosPerCall(2000, answer(uncached)),
      baselinePipelineOnly: cpuMicrosPerCall(2000, answer(silent)),
    },
    {
      name: 'guard-gateway-output-cached-4-checks',
      checks: 1 + GATEWAY_MEMBERS.length,
      cpuMicrosecondsPerRequest: cpuMicrosPerCall(2000, outputs(cached)),
    },
  ];
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

/** The guard benchmark: overall, per family, 2 KB latency, and baselines over the same corpus. */
export function run(): Record<string, unknown>[] {
  const items = guardCorpus();
  const bytes = utf8Bytes(items);
  const results: Record<string, unknown>[] = [];
  const kinds = Object.fromEntries(
    ['chat', 'document', 'code', 'response'].map((kind) => [
      kind,
      items.filter((item) => item.kind === kind).length,
    ]),
  );

  // Baselines over the same texts: one plain regex scan and JSON serialization.
  const emailLike = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
  let regexMatches = 0;
  const regexTiming = timePasses(() => {
    regexMatches = 0;
    for (const item of items) for (const _match of item.text.matchAll(emailLike)) regexMatches++;
  });
  results.push(
    throughput({
      name: 'baseline-regex-scan',
      bytes,
      timing: regexTiming,
      extra: { matches: regexMatches },
    }),
  );
  let serialized = 0;
  const jsonTiming = timePasses(() => {
    serialized = 0;
    for (const item of items) serialized += JSON.stringify(item).length;
  });
  results.push(
    throughput({
      name: 'baseline-json-stringify',
      bytes,
      timing: jsonTiming,
      extra: { characters: serialized },
    }),
  );

  // The findings cache is off: every pass must do the full work, not replay earlier passes' findings.
  const guard = createGuard({ policy: 'balanced', cache: false });
  let actions: Record<string, number> = {};
  const overallTiming = timePasses(
    () => {
      actions = checkAll(guard, items);
    },
    OVERALL_MEASURE_SECONDS,
    OVERALL_WARMUP_SECONDS,
  );
  const overall = throughput({
    name: 'guard-balanced-overall',
    bytes,
    timing: overallTiming,
    extra: {
      texts: items.length,
      kinds,
      detectors: BUILTIN_DETECTORS.map((entry) => entry.id),
      actions,
      // The first pass, in a fresh process: every regex and hot function still to be compiled.
      coldFirstPassMbPerCpuSecond: Number((bytes / MEGABYTE / overallTiming.firstCpuSeconds).toFixed(2)),
      warmupSeconds: OVERALL_WARMUP_SECONDS,
      measuredSeconds: OVERALL_MEASURE_SECONDS,
      targetMbPerSecond: 20,
    },
  });
  results.push({ ...overall, meetsTarget: overall.mbPerCpuSecond >= 20 });

  // The pipeline alone: one detector per family that finds nothing (normalization, role selection,
  // policy, vault per text).
  const silent = createGuard({
    policy: 'balanced',
    detectors: FAMILIES.map((family) => ({ id: `silent-${family}`, family, detect: () => [] })),
  });
  const pipelineTiming = timePasses(() => {
    checkAll(silent, items);
  });
  results.push(throughput({ name: 'guard-pipeline-only', bytes, timing: pipelineTiming }));

  // Each built-in detector alone, on every text whatever its role, built as the guard builds it (the
  // injection detector with the shipped model), plus the injection rules without the model.
  const aloneEntries = [
    ...BUILTIN_DETECTORS.map((entry) => ({
      id: entry.id,
      name: entry.id,
      create: () => entry.create(learnedDetectorOptions()[entry.id]),
    })),
    ...BUILTIN_DETECTORS.filter((entry) => entry.id === 'injection').map((entry) => ({
      id: entry.id,
      name: 'injection-rules-only',
      create: () => entry.create(),
    })),
  ];
  for (const entry of aloneEntries) {
    const alone = createGuard({ policy: 'balanced', detectors: [entry.create()], cache: false });
    let familyActions: Record<string, number> = {};
    const timing = timePasses(() => {
      familyActions = checkAll(alone, items, [entry.id]);
    });
    results.push(
      throughput({
        name: `guard-detector-${entry.name}`,
        bytes,
        timing,
        extra: { actions: familyActions },
      }),
    );
  }

  // Conversations: chat clients re-send the whole history each turn; the findings cache skips what the
  // guard has already seen. Bytes count every message checked on every turn.
  const turns = fixedLengthPrompts({ count: 400, length: 600, seed: 11 });
  const conversations = Array.from({ length: 20 }, (_, index) =>
    turns.slice(index * 20, index * 20 + 20).map((content, turn) => ({
      role: turn % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content,
    })),
  );
  const conversationBytes = conversations.reduce(
    (total, messages) =>
      total +
      messages.reduce(
        (sum, _message, turn) =>
          sum +
          utf8Bytes(
            messages
              .slice(0, turn + 1)
              .map((message) => ({ kind: 'chat', role: message.role, text: message.content })),
          ),
        0,
      ),
    0,
  );
  for (const cache of [true, false]) {
    const timing = timePasses(() => {
      const conversational = createGuard({ policy: 'balanced', ...(cache ? {} : { cache: false }) });
      for (const messages of conversations) {
        const vault = conversational.createVault();
        for (let turn = 0; turn < messages.length; turn++)
          conversational.check(messages.slice(0, turn + 1), { vault });
      }
    });
    results.push(
      throughput({
        name: cache ? 'guard-conversation-cached' : 'guard-conversation-uncached',
        bytes: conversationBytes,
        timing,
        extra: { conversations: conversations.length, turns: 20 },
      }),
    );
  }

  // Short chat messages (300 bytes): fixed per-call overhead, user prompts and assistant answers.
  const short = shortChatTexts({ count: 1000, length: 300 });
  results.push(
    shortCheckLine({ name: 'guard-short-user-300b', guard, texts: short.prompts, role: 'user' }),
    shortCheckLine({ name: 'guard-short-assistant-300b', guard, texts: short.answers, role: 'assistant' }),
  );

  results.push(...gatewayTextLines());

  const prompts = fixedLengthPrompts({ count: 2000, length: 2048 });
  for (const prompt of prompts.slice(0, 200)) guard.check(prompt, { vault: guard.createVault() });
  const latencies: number[] = [];
  const cpuLatencies: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const prompt of prompts) {
      const vault = guard.createVault();
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      guard.check(prompt, { vault });
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      const used = process.cpuUsage(cpu);
      cpuLatencies.push((used.user + used.system) / 1e3);
    }
  }
  latencies.sort((left, right) => left - right);
  cpuLatencies.sort((left, right) => left - right);
  const cpuP99 = percentile(cpuLatencies, 0.99);
  results.push({
    name: 'guard-balanced-2kb-latency',
    samples: latencies.length,
    p50Ms: Number(percentile(latencies, 0.5).toFixed(4)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(4)),
    maxMs: Number((latencies[latencies.length - 1] ?? 0).toFixed(4)),
    // CPU time per call (microsecond resolution): unaffected by other processes on the machine.
    cpuP50Ms: Number(percentile(cpuLatencies, 0.5).toFixed(3)),
    cpuP99Ms: Number(cpuP99.toFixed(3)),
    targetP99Ms: 1,
    meetsTarget: cpuP99 < 1,
  });
  return results;
}
