import { z } from 'zod';
import { backendConfigSchema } from '../../learn/backend-config.js';
import { GATEWAY_DEFAULTS as D } from './gateway-defaults.js';

/** Providers the gateway speaks to. `simulated` is the built-in offline model. */
export const PROVIDERS = ['openai', 'azure', 'ollama', 'vllm', 'anthropic', 'simulated'] as const;
export type Provider = (typeof PROVIDERS)[number];

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name, not a key value');

const upstreamSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i),
  provider: z.enum(PROVIDERS),
  /** Base URL, e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`, `https://api.anthropic.com`. */
  baseUrl: z.string().max(2048).optional(),
  /** Name of the environment variable holding the upstream API key. Keys are never written inline. */
  apiKeyEnv: envName.optional(),
  /** Models served; `*` serves any model. */
  models: z.array(z.string().min(1).max(256)).min(1).default(['*']),
  timeoutMs: z.number().int().min(100).max(600_000).default(D.upstreamTimeoutMs),
  retries: z.number().int().min(0).max(10).default(D.retries),
  connections: z.number().int().min(1).max(4096).default(D.upstreamConnections),
  /** Permits private-network (RFC 1918, ULA) addresses for this upstream. Loopback is always allowed. */
  allowPrivateNetwork: z.boolean().default(false),
  /** Azure OpenAI api-version query parameter. */
  apiVersion: z.string().max(64).optional(),
  /** Anthropic API version header. */
  anthropicVersion: z.string().max(64).default('2023-06-01'),
});

const streamingSchema = z.strictObject({
  mode: z.enum(['window', 'buffer', 'audit']).default(D.streamingMode),
  holdbackChars: z.number().int().min(16).max(65_536).default(D.windowHoldbackChars),
  maxHoldChars: z.number().int().min(256).max(1_048_576).default(D.windowMaxHoldChars),
  overlapChars: z.number().int().min(0).max(65_536).default(D.windowOverlapChars),
});

const failModeSchema = z.enum(['closed', 'open']);

/** The gateway configuration. Strict: unknown keys are errors. */
export const gatewayConfigSchema = z.strictObject({
  host: z.string().min(1).max(255).default(D.host),
  port: z.number().int().min(0).max(65_535).default(D.port),
  dataDir: z.string().min(1).default(D.dataDir),
  /** Policy preset name or path of a policy file for the guard. */
  policy: z.string().min(1).default('balanced'),
  limits: z
    .strictObject({
      bodyBytes: z.number().int().min(1024).max(104_857_600).default(D.bodyLimitBytes),
      responseBytes: z.number().int().min(1024).max(1_073_741_824).default(D.responseLimitBytes),
      jsonDepth: z.number().int().min(2).max(1024).default(D.jsonDepthLimit),
      requestTimeoutMs: z.number().int().min(100).max(600_000).default(D.requestTimeoutMs),
      /** A caller whose answer stops moving (it stopped reading) is dropped after this long; 0 disables. */
      writeStallTimeoutMs: z
        .number()
        .int()
        .min(0)
        .max(3_600_000)
        .refine((value) => value === 0 || value >= 100, 'must be 0 (off) or at least 100 ms')
        .default(D.writeStallTimeoutMs),
      /** A caller that keeps bytes waiting and takes fewer than this per second is dropped; 0 disables. */
      slowReaderBytesPerSecond: z
        .number('must be a number of bytes per second')
        .int('must be a whole number of bytes per second')
        .min(0, 'must be 0 (off) or a positive number of bytes per second')
        .max(104_857_600, 'must be at most 104857600 (100 MiB/s)')
        .default(D.slowReaderBytesPerSecond),
      /** Time over which a caller with bytes waiting is measured against `slowReaderBytesPerSecond`. */
      slowReaderWindowMs: z
        .number('must be a number of milliseconds')
        .int('must be a whole number of milliseconds')
        .min(100, 'must be at least 100 ms')
        .max(3_600_000, 'must be at most 3600000 ms (1 hour)')
        .default(D.slowReaderWindowMs),
    })
    .default({
      bodyBytes: D.bodyLimitBytes,
      responseBytes: D.responseLimitBytes,
      jsonDepth: D.jsonDepthLimit,
      requestTimeoutMs: D.requestTimeoutMs,
      writeStallTimeoutMs: D.writeStallTimeoutMs,
      slowReaderBytesPerSecond: D.slowReaderBytesPerSecond,
      slowReaderWindowMs: D.slowReaderWindowMs,
    }),
  auth: z
    .strictObject({
      /** Requires an API key on every model route even when the key store is empty. */
      required: z.boolean().default(false),
      /** Environment variable holding the admin token for admin endpoints. */
      adminTokenEnv: envName.optional(),
    })
    .default({ required: false }),
  upstreams: z.array(upstreamSchema).max(64).default([]),
  /** Alias → fallback chain of `upstream/model` entries, tried in order. */
  aliases: z
    .record(z.string().min(1).max(256), z.array(z.string().min(3).max(300)).min(1).max(16))
    .default({}),
  retry: z
    .strictObject({
      baseDelayMs: z.number().int().min(0).max(60_000).default(D.retryBaseDelayMs),
      maxDelayMs: z.number().int().min(0).max(300_000).default(D.retryMaxDelayMs),
    })
    .default({ baseDelayMs: D.retryBaseDelayMs, maxDelayMs: D.retryMaxDelayMs }),
  circuitBreaker: z
    .strictObject({
      failureThreshold: z.number().int().min(1).max(1000).default(D.circuitFailureThreshold),
      cooldownMs: z.number().int().min(10).max(3_600_000).default(D.circuitCooldownMs),
    })
    .default({ failureThreshold: D.circuitFailureThreshold, cooldownMs: D.circuitCooldownMs }),
  streaming: streamingSchema.default({
    mode: D.streamingMode,
    holdbackChars: D.windowHoldbackChars,
    maxHoldChars: D.windowMaxHoldChars,
    overlapChars: D.windowOverlapChars,
  }),
  /** Clean texts remembered so resent history and system prompts are not checked again (0 disables). */
  inputCache: z
    .strictObject({
      entries: z.number().int().min(0).max(1_000_000).default(D.inputCacheEntries),
      maxTextChars: z.number().int().min(1).max(1_048_576).default(D.inputCacheMaxTextChars),
    })
    .default({ entries: D.inputCacheEntries, maxTextChars: D.inputCacheMaxTextChars }),
  /** What happens when a check itself fails: per family, `closed` (block) by default. */
  failMode: z
    .strictObject({
      default: failModeSchema.default(D.failMode),
      families: z.record(z.string(), failModeSchema).default({}),
    })
    .default({ default: D.failMode, families: {} }),
  /** Tool names the model may call; absent means any tool the caller declared. */
  tools: z
    .strictObject({
      allow: z.array(z.string().min(1).max(128)).max(1024).optional(),
      /** Per-route allowlists, keyed by route path, e.g. `/v1/chat/completions`. */
      routes: z.record(z.string(), z.array(z.string().min(1).max(128))).default({}),
      /**
       * Declared tool definitions (descriptions, schema texts, parameter names): `block` refuses a poisoned
       * tool and applies the secrets policy, `monitor` only records findings, `off` skips the check.
       */
      definitions: z.enum(['block', 'monitor', 'off']).default(D.toolDefinitions),
    })
    .default({ routes: {}, definitions: D.toolDefinitions }),
  /** Hosts that links and images in model output may point to. */
  allowedOutputHosts: z.array(z.string().min(1).max(255)).max(1024).default([]),
  /**
   * Optional stronger injection back-ends for request texts (a local ONNX classifier, an LLM judge over an
   * OpenAI-compatible endpoint); see docs/LEARNED-DETECTOR.md. Off unless configured.
   */
  backends: backendConfigSchema.optional(),
  audit: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Request/response content in the audit log: none, redacted (default), or full (encrypted). */
      payloads: z.enum(['none', 'redacted', 'full']).default('redacted'),
    })
    .default({ enabled: true, payloads: 'redacted' }),
  alerts: z
    .strictObject({
      /** Webhook receiving anomaly alerts (JSON POST). */
      webhookUrl: z.string().url().max(2048).optional(),
      /** Environment variable holding the HMAC secret that signs webhook bodies. */
      webhookSecretEnv: envName.optional(),
    })
    .default({}),
  metrics: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Scrapes need no token even on a non-loopback address (a trusted network). */
      public: z.boolean().default(false),
      /** Environment variable holding the metrics token (default AEGIS_METRICS_TOKEN). */
      tokenEnv: envName.optional(),
    })
    .default({ enabled: true, public: false }),
  logging: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default(D.logLevel),
      requests: z.boolean().default(true),
    })
    .default({ level: D.logLevel, requests: true }),
  shutdownGraceMs: z.number().int().min(0).max(600_000).default(D.shutdownGraceMs),
});

/** Validated, frozen gateway configuration. */
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
/** One configured upstream. */
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
/** Streaming guard settings. */
export type StreamingConfig = z.infer<typeof streamingSchema>;
/** Input accepted by the schema (before defaults). */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
