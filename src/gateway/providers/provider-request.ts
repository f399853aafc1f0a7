import type { UpstreamConfig } from '../config/gateway-config-schema.js';
import type { ApiKind } from '../routing/router.js';

/** Where and how to send one request to an upstream. */
export interface ProviderRequest {
  path: string;
  headers: Record<string, string>;
}

/** An upstream prepared once at start: origin, base path and its credential (from the environment). */
export interface PreparedUpstream {
  config: UpstreamConfig;
  origin: string;
  basePath: string;
  /** The API key read from `apiKeyEnv`; never logged or returned. */
  apiKey: string | undefined;
}

const OPENAI_SUFFIX: Record<Exclude<ApiKind, 'anthropic'>, string> = {
  chat: '/chat/completions',
  responses: '/responses',
  embeddings: '/embeddings',
};

/** Reads an upstream's base URL and credential once. */
export function prepareUpstream(config: UpstreamConfig, environment: NodeJS.ProcessEnv): PreparedUpstream {
  const url = new URL(config.baseUrl ?? 'http://127.0.0.1');
  return {
    config,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    apiKey: config.apiKeyEnv === undefined ? undefined : environment[config.apiKeyEnv],
  };
}

/**
 * Path and provider headers for a request. OpenAI, vLLM and Ollama share the OpenAI REST layout under
 * their base URL (`…/v1/chat/completions`) with a Bearer key; Azure OpenAI uses
 * `/openai/deployments/{deployment}/…?api-version=` and an `api-key` header (or the v1 layout without an
 * api-version); Anthropic uses `/v1/messages` with `x-api-key` and `anthropic-version`.
 */
export function providerRequest(options: {
  upstream: PreparedUpstream;
  api: ApiKind;
  model: string;
}): ProviderRequest {
  const { upstream, api, model } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = upstream.apiKey;
  if (upstream.config.provider === 'anthropic') {
    if (key) headers['x-api-key'] = key;
    headers['anthropic-version'] = upstream.config.anthropicVersion;
    return { path: `${upstream.basePath}/v1/messages`, headers };
  }
  const suffix = OPENAI_SUFFIX[api as Exclude<ApiKind, 'anthropic'>];
  if (upstream.config.provider === 'azure') {
    if (key) headers['api-key'] = key;
    const version = upstream.config.apiVersion;
    const path =
      version === undefined
        ? `${upstream.basePath}${suffix}`
        : `${upstream.basePath}/openai/deployments/${encodeURIComponent(model)}${suffix}?api-version=${encodeURIComponent(version)}`;
    return { path, headers };
  }
  if (key) headers.authorization = `Bearer ${key}`;
  return { path: `${upstream.basePath}${suffix}`, headers };
}
