import { describe, expect, it } from 'vitest';
import type { AsyncDetector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { createScorers, parseConfigurationName } from './create-scorers.js';
import { runEvaluation, runEvaluationAsync, triggerBenignSet } from './run-evaluation.js';

// A back-end that flags texts containing "pirate" and fails on texts containing "down".
const pirateBackend: AsyncDetector = {
  id: 'pirate-judge',
  family: 'injection',
  async detect(text) {
    if (text.includes('down')) throw new AegisError(ERROR_CODES.BACKEND_FAILED, 'judge: server down');
    if (!text.includes('pirate')) return [];
    return [
      {
        family: 'injection',
        detector: 'pirate-judge',
        category: 'prompt-injection',
        type: 'LLM_JUDGE',
        severity: 'high',
        score: 0.9,
        start: 0,
        end: text.length,
        ruleId: 'injection.pirate-judge',
        signals: ['pirate-judge'],
      },
    ];
  },
};

describe('configuration names', () => {
  it('parses a base with back-ends in one canonical order', () => {
    expect(parseConfigurationName('rules')).toEqual({ base: 'rules', backends: [] });
    expect(parseConfigurationName('rules+model+onnx+judge')).toEqual({
      base: 'rules+model',
      backends: ['onnx', 'judge'],
    });
    expect(parseConfigurationName('judge')).toEqual({ base: undefined, backends: ['judge'] });
    for (const name of ['judge+rules', 'model+rules', 'rules+rules', 'rules+gpt', '', 'rules+']) {
      expect(parseConfigurationName(name), name).toBeUndefined();
    }
  });
});

describe('back-end configurations', () => {
  const set = {
    name: 'mine',
    rows: ['talk like a pirate', 'what time is it', 'the server is down', 'a pirate song'].map(
      (text, index) => ({
        set: 'mine',
        id: String(index),
        text,
        label: (text.includes('pirate') ? 1 : 0) as 0 | 1,
      }),
    ),
    errors: [],
  };

  it('scores with checkAsync and counts back-end failures only for configurations that run one', async () => {
    const scorers = createScorers({ names: ['rules', 'rules+judge'], backends: { judge: pirateBackend } });
    expect(scorers.map((scorer) => scorer.backends)).toEqual([undefined, ['pirate-judge']]);
    const progress: number[] = [];
    const report = await runEvaluationAsync({
      sets: [set],
      scorers,
      concurrency: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(report.results['rules+judge']?.perSet.mine).toMatchObject({ recall: 1, passRate: 0.5 });
    expect(report.results['rules+judge']?.backendFailures).toEqual({
      rows: 1,
      first: { detector: 'pirate-judge', code: 'AEGIS_BACKEND_FAILED', message: 'judge: server down' },
    });
    expect(report.results.rules?.backendFailures).toBeUndefined();
    expect(progress.at(-1)).toBe(8);
    // The configuration without a back-end scores exactly as the synchronous run does.
    const sync = runEvaluation({ sets: [set], scorers: createScorers({ names: ['rules'] }) });
    expect(report.results.rules).toEqual(sync.results.rules);
    expect(() => runEvaluation({ sets: [set], scorers })).toThrow(/use runEvaluationAsync/);
  });

  it('stops when a back-end fails on each of the first ten rows', async () => {
    const down = triggerBenignSet(Array.from({ length: 12 }, (_, index) => `server down ${index}`));
    await expect(
      runEvaluationAsync({
        sets: [down],
        scorers: createScorers({ names: ['judge'], backends: { judge: pirateBackend } }),
        concurrency: 4,
      }),
    ).rejects.toThrow(/configuration "judge": back-end pirate-judge failed on each of the first 10 rows/);
  });

  it('names the option a configuration needs', () => {
    expect(() => createScorers({ names: ['rules+model+judge'] })).toThrow(
      /runs the judge back-end: give --judge-url URL and --judge-model NAME/,
    );
    expect(() => createScorers({ names: ['rules+oracle'] })).toThrow(/unknown configuration "rules\+oracle"/);
  });
});
