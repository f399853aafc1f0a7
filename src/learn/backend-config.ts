import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { classifyAddress, METADATA_HOSTS } from '../net/address-class.js';
import type { HostResolver } from '../net/safe-lookup.js';
import type { AsyncDetector } from '../spec/detector.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { identityText } from '../spec/text.js';
import { createLlmJudge, judgeHostProblem } from './llm-judge.js';
import { createOnnxClassifier } from './onnx-classifier.js';

/** Back-end files above this size are refused (a configuration is a few hundred bytes). */
const MAX_CONFIG_BYTES = 64 * 1024;

// An environment variable name as POSIX shells accept it, bounded.
const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** True for `localhost`, 127.0.0.0/8 and ::1: a server on this machine (Ollama, vLLM, a test double). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * What is wrong with a judge base URL, or `undefined` when it is usable. Messages never repeat the URL:
 * it may carry credentials.
 */
export function judgeUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL (expected e.g. http://127.0.0.1:11434/v1)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username !== '' || url.password !== '') {
    return 'must not contain a user name or password (put the key in an environment variable named by apiKeyEnv)';
  }
  // The judge appends /chat/completions to the base URL: a query or fragment would swallow it.
  if (url.search !== '' || url.hash !== '') return 'must not have a query or fragment';
  // The same classification as gateway upstreams (private networks allowed: a judge often runs there).
  let host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  while (host.endsWith('.')) host = host.slice(0, -1);
  if (METADATA_HOSTS.has(host) || (isIP(host) !== 0 && classifyAddress(host) === 'forbidden')) {
    return 'points to a link-local, metadata, reserved or unspecified address';
  }
  return undefined;
}

const positiveInteger = z.number().int().min(1);

const onnxSchema = z.strictObject({
  /** Folder with model.onnx and tokenizer.json (and config.json); relative to the configuration file. */
  dir: z.string().min(1).max(4096),
  threshold: z.number().min(0).max(1).optional(),
  injectionLabel: z.number().int().min(0).optional(),
  maxTokens: positiveInteger.max(1_000_000).optional(),
  windowChars: positiveInteger.max(1_000_000).optional(),
  maxWindows: positiveInteger.max(10_000).optional(),
});

const judgeSchema = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .superRefine((value, context) => {
        const problem = judgeUrlProblem(value);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      }),
    model: z.string().min(1).max(256),
    apiKeyEnv: z
      .string()
      .regex(ENVIRONMENT_NAME, 'must be an environment variable name such as OPENAI_API_KEY')
      .optional(),
    timeoutMs: positiveInteger.max(3_600_000).optional(),
    failMode: z.enum(['closed', 'open']).optional(),
    maxChars: z.number().int().min(64).max(10_000_000).optional(),
    systemPrompt: z.string().min(1).max(16_384).optional(),
  })
  .superRefine((judge, context) => {
    // A bearer token over plain http to another machine can be read on the way: refused.
    if (judge.apiKeyEnv === undefined || judgeUrlProblem(judge.url) !== undefined) return;
    const url = new URL(judge.url);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'must use https when an API key is sent to another machine (http is fine on loopback)',
      });
    }
  });

/** The validated back-end configuration shared by the CLI, the library and (later) the gateway. */
export const backendConfigSchema = z.strictObject({
  /** A local ONNX text classifier (needs the optional package onnxruntime-node). */
  onnx: onnxSchema.optional(),
  /** An LLM judge over an OpenAI-compatible chat endpoint; the key comes from `apiKeyEnv` only. */
  judge: judgeSchema.optional(),
});

/** A validated back-end configuration. */
export type BackendConfig = z.infer<typeof backendConfigSchema>;

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${base ? `${base}.` : ''}${key}: unknown key`).join('; ');
    }
    return `${base || '(root)'}: ${issue.message}`;
  });
}

/**
 * Validates a back-end configuration (unknown keys are errors) and returns it frozen. `source` names it in
 * errors (`AEGIS_CONFIG_INVALID`). A key written into the configuration is refused without repeating it.
 */
export function parseBackendConfig(input: unknown, source = 'back-end configuration'): BackendConfig {
  const judge = (input as { judge?: unknown } | null | undefined)?.judge;
  if (typeof judge === 'object' && judge !== null) {
    const keyField = ['apiKey', 'api_key', 'key', 'token'].find((name) => name in judge);
    if (keyField !== undefined) {
      throw new AegisError(
        ERROR_CODES.CONFIG_INVALID,
        `${source} invalid: judge.${keyField} is not accepted; put the key in an environment variable and name it with judge.apiKeyEnv`,
        { details: { problems: [`judge.${keyField}: not accepted`] } },
      );
    }
  }
  const parsed = backendConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new AegisError(ERROR_CODES.CONFIG_INVALID, `${source} invalid: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return Object.freeze({
    ...(parsed.data.onnx ? { onnx: Object.freeze(parsed.data.onnx) } : {}),
    ...(parsed.data.judge ? { judge: Object.freeze(parsed.data.judge) } : {}),
  });
}

/**
 * Reads a back-end configuration from a YAML or JSON file (`{onnx?, judge?}`, JSON when it starts with
 * `{`). A relative `onnx.dir` is taken relative to the file. Errors: `AEGIS_CONFIG_UNREADABLE`,
 * `AEGIS_CONFIG_INVALID`.
 */
export function loadBackendConfig(path: string): BackendConfig {
  let text: string;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES) throw new Error('larger than 64 KB');
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.CONFIG_UNREADABLE,
      `cannot read back-end configuration ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error, details: { path } },
    );
  }
  let raw: unknown;
  const json = text.trimStart().startsWith('{');
  try {
    raw = json ? JSON.parse(text) : (parseYaml(text, { maxAliasCount: 50 }) ?? {});
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.CONFIG_INVALID,
      `back-end configuration ${path} is not valid ${json ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
      { cause: error, details: { path } },
    );
  }
  const config = parseBackendConfig(raw, `back-end configuration ${path}`);
  if (config.onnx === undefined) return config;
  return Object.freeze({
    ...config,
    onnx: Object.freeze({ ...config.onnx, dir: resolve(dirname(path), config.onnx.dir) }),
  });
}

/** Options of `createBackends`. */
export interface CreateBackendsOptions {
  /** A configuration object (validated here) or the result of `parseBackendConfig` / `loadBackendConfig`. */
  config: unknown;
  /** Where `judge.apiKeyEnv` is looked up (default `process.env`). */
  environment?: NodeJS.ProcessEnv;
  /** Injected for tests; defaults to undici's fetch with a lookup that refuses forbidden addresses. */
  fetch?: typeof fetch;
  /** Resolves the judge's host name to all its addresses; injected for tests (default `dns.lookup`). */
  resolveHost?: HostResolver;
}

/** How long `openBackends` waits for the judge's host name to resolve before leaving it to first use. */
const START_LOOKUP_MS = 5_000;

/**
 * The asynchronous detectors a back-end configuration describes, in a fixed order (ONNX, then judge), for
 * `createGuard({ asyncDetectors })`. The judge's API key is read from the variable `judge.apiKeyEnv` names,
 * never from the configuration; a named variable that is unset is `AEGIS_CONFIG_INVALID`.
 */
export function createBackends(options: CreateBackendsOptions): AsyncDetector[] {
  const config = parseBackendConfig(options.config);
  const environment = options.environment ?? process.env;
  const detectors: AsyncDetector[] = [];
  if (config.onnx) {
    const { dir, ...limits } = config.onnx;
    detectors.push(createOnnxClassifier({ directory: dir, ...limits }));
  }
  if (config.judge) {
    const { url, apiKeyEnv, ...judge } = config.judge;
    let apiKey: string | undefined;
    if (apiKeyEnv !== undefined) {
      apiKey = environment[apiKeyEnv];
      if (apiKey === undefined || apiKey === '') {
        throw new AegisError(
          ERROR_CODES.CONFIG_INVALID,
          `judge.apiKeyEnv names ${apiKeyEnv}, which is not set in the environment`,
          { details: { variable: apiKeyEnv } },
        );
      }
    }
    detectors.push(
      createLlmJudge({
        baseUrl: url,
        ...judge,
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.resolveHost === undefined ? {} : { resolveHost: options.resolveHost }),
      }),
    );
  }
  return detectors;
}

/**
 * Refuses (`AEGIS_CONFIG_INVALID`) a judge whose host name resolves to an address it may not reach. A
 * name that does not resolve now (or not within 5 s) is left to the judge, which checks it at first use.
 */
async function checkJudgeHost(url: string, resolveHost: HostResolver | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), START_LOOKUP_MS).unref();
  });
  const problem = await Promise.race([
    judgeHostProblem(new URL(url).hostname, { resolveHost }).catch(() => undefined),
    gaveUp,
  ]).finally(() => clearTimeout(timer));
  if (problem === undefined) return;
  throw new AegisError(ERROR_CODES.CONFIG_INVALID, `back-end configuration invalid: judge.url: ${problem}`, {
    details: { problems: [`judge.url: ${problem}`] },
  });
}

/**
 * Like `createBackends`, then loads the ONNX model once (by scoring a short text), so that a missing
 * onnxruntime-node or an unreadable model fails at start-up (`AEGIS_BACKEND_UNAVAILABLE`,
 * `AEGIS_MODEL_UNREADABLE`, `AEGIS_MODEL_INVALID`) instead of on every text, and resolves the judge's
 * host name, so that a name pointing at a metadata or link-local address fails at start-up too
 * (`AEGIS_CONFIG_INVALID`). The judge is not called: whether its failures block is its `failMode`,
 * decided per text.
 */
export async function openBackends(options: CreateBackendsOptions): Promise<AsyncDetector[]> {
  const config = parseBackendConfig(options.config);
  if (config.judge) await checkJudgeHost(config.judge.url, options.resolveHost);
  const detectors = createBackends({ ...options, config });
  if (config.onnx) {
    const sample = 'hello';
    await detectors[0]!.detect(sample, { role: 'user', normalized: identityText(sample) });
  }
  return detectors;
}
