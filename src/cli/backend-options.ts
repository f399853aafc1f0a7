import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { MAX_CONCURRENCY } from '../eval/map-with-concurrency.js';
import type { AsyncDetector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** The back-end options of `aegis check` and `aegis eval`, as commander parses them. */
export interface BackendFlags {
  backends?: string;
  onnxModel?: string;
  onnxThreshold?: string;
  judgeUrl?: string;
  judgeModel?: string;
  judgeKeyEnv?: string;
  judgeTimeoutMs?: string;
  judgeFailMode?: 'closed' | 'open';
  concurrency?: string;
}

/** The back-ends a command runs, opened and ready. */
export interface OpenedBackends {
  /** Every back-end, for `createGuard({ asyncDetectors })`. */
  detectors: AsyncDetector[];
  onnx?: AsyncDetector;
  judge?: AsyncDetector;
  /** Their detector ids, to tell their failures from those of the built-in detectors. */
  ids: ReadonlySet<string>;
  /** Texts checked at once. */
  concurrency: number;
}

/** Help lines shared by the commands that take back-end options. */
export const BACKEND_HELP = `
Optional back-ends (off unless given; see docs/LEARNED-DETECTOR.md):
  --onnx-model DIR      a local ONNX classifier (model.onnx + tokenizer.json), needs onnxruntime-node
  --judge-url URL --judge-model NAME [--judge-key-env VAR]
                        an LLM judge on an OpenAI-compatible endpoint (Ollama, vLLM, a hosted API);
                        its API key is read from the environment variable VAR, never from the command
  --backends FILE       the same in YAML or JSON: {onnx: {dir, threshold?, maxWindows?, …},
                        judge: {url, model, apiKeyEnv?, timeoutMs?, failMode?, …}}; flags override it
  A judge that fails (down, timeout, bad reply) blocks the text under --judge-fail-mode closed (default)
  and lets it through under open. An ONNX model that cannot be loaded stops the command (exit 2).
`;

/** Adds the back-end options to a command. */
export function addBackendOptions(command: Command): Command {
  return command
    .option('--backends <file>', 'YAML or JSON file configuring optional back-ends {onnx?, judge?}')
    .option('--onnx-model <dir>', 'local ONNX classifier folder (model.onnx, tokenizer.json, config.json)')
    .option('--onnx-threshold <p>', 'ONNX classifier probability that reports a finding (default 0.5)')
    .option('--judge-url <url>', 'LLM judge base URL, e.g. http://127.0.0.1:11434/v1 (Ollama)')
    .option('--judge-model <name>', 'LLM judge model, e.g. llama-guard3:1b')
    .option('--judge-key-env <var>', 'environment variable holding the judge API key (not the key itself)')
    .option('--judge-timeout-ms <ms>', 'LLM judge: give up after this many milliseconds (default 10000)')
    .addOption(
      new Option(
        '--judge-fail-mode <mode>',
        'LLM judge failure: closed blocks (default), open allows',
      ).choices(['closed', 'open']),
    )
    .option('--concurrency <n>', `texts sent to the back-ends at once, 1-${MAX_CONCURRENCY} (default 4)`);
}

function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number))
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `${flag} must be a number`);
  return number;
}

/** True when any back-end option was given. */
export function backendsRequested(flags: BackendFlags): boolean {
  return (
    flags.backends !== undefined ||
    flags.onnxModel !== undefined ||
    flags.onnxThreshold !== undefined ||
    flags.judgeUrl !== undefined ||
    flags.judgeModel !== undefined ||
    flags.judgeKeyEnv !== undefined ||
    flags.judgeTimeoutMs !== undefined ||
    flags.judgeFailMode !== undefined
  );
}

/**
 * Builds the back-ends from `--backends FILE` and the flags (a flag overrides the same field of the file),
 * validated by the one back-end schema, and opens them. `undefined` when none was asked for: then nothing
 * of the back-end code (nor onnxruntime-node) is loaded.
 */
export async function openBackendsFromFlags(
  flags: BackendFlags,
  environment: NodeJS.ProcessEnv,
): Promise<OpenedBackends | undefined> {
  const concurrency = numberFlag('--concurrency', flags.concurrency) ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      `--concurrency must be an integer from 1 to ${MAX_CONCURRENCY}`,
    );
  }
  if (!backendsRequested(flags)) return undefined;
  const { loadBackendConfig, openBackends, parseBackendConfig } = await import('../learn/backend-config.js');
  const file = flags.backends === undefined ? {} : loadBackendConfig(flags.backends);
  const onnxFlags = {
    ...(flags.onnxModel === undefined ? {} : { dir: resolve(flags.onnxModel) }),
    ...(flags.onnxThreshold === undefined
      ? {}
      : { threshold: numberFlag('--onnx-threshold', flags.onnxThreshold) }),
  };
  const judgeFlags = {
    ...(flags.judgeUrl === undefined ? {} : { url: flags.judgeUrl }),
    ...(flags.judgeModel === undefined ? {} : { model: flags.judgeModel }),
    ...(flags.judgeKeyEnv === undefined ? {} : { apiKeyEnv: flags.judgeKeyEnv }),
    ...(flags.judgeTimeoutMs === undefined
      ? {}
      : { timeoutMs: numberFlag('--judge-timeout-ms', flags.judgeTimeoutMs) }),
    ...(flags.judgeFailMode === undefined ? {} : { failMode: flags.judgeFailMode }),
  };
  const onnx = file.onnx || Object.keys(onnxFlags).length > 0 ? { ...file.onnx, ...onnxFlags } : undefined;
  const judge =
    file.judge || Object.keys(judgeFlags).length > 0 ? { ...file.judge, ...judgeFlags } : undefined;
  // Said in terms of the flags, before the schema would call the missing field by its file name.
  if (onnx && onnx.dir === undefined) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, '--onnx-threshold needs --onnx-model DIR');
  }
  if (judge && (judge.url === undefined || judge.model === undefined)) {
    throw new AegisError(
      ERROR_CODES.INVALID_ARGUMENT,
      'the LLM judge needs both --judge-url URL and --judge-model NAME (or judge.url and judge.model in --backends)',
    );
  }
  const config = parseBackendConfig(
    { ...(onnx ? { onnx } : {}), ...(judge ? { judge } : {}) },
    flags.backends === undefined ? 'back-end options' : `back-end options (with ${flags.backends})`,
  );
  const detectors = await openBackends({ config, environment });
  const opened: OpenedBackends = {
    detectors,
    ids: new Set(detectors.map((detector) => detector.id)),
    concurrency,
  };
  if (config.onnx) opened.onnx = detectors[0];
  if (config.judge) opened.judge = detectors.at(-1);
  return opened;
}
