import { ERROR_CODES } from '../../spec/errors.js';
import type { GatewayConfig, Provider, UpstreamConfig } from '../config/gateway-config-schema.js';
import { gatewayError } from '../http/api-error.js';

/** The API family of a route: which upstream providers can serve it. */
export type ApiKind = 'chat' | 'responses' | 'embeddings' | 'anthropic';

/** One place a request can go: an upstream and the model name to ask it for. */
export interface RouteTarget {
  upstream: UpstreamConfig;
  model: string;
}

const OPENAI_COMPATIBLE: ReadonlySet<Provider> = new Set(['openai', 'azure', 'ollama', 'vllm', 'simulated']);
const ANTHROPIC_COMPATIBLE: ReadonlySet<Provider> = new Set(['anthropic', 'simulated']);

/** True when an upstream of `provider` speaks the API of `api`. */
export function providerServes(provider: Provider, api: ApiKind): boolean {
  return api === 'anthropic' ? ANTHROPIC_COMPATIBLE.has(provider) : OPENAI_COMPATIBLE.has(provider);
}

/** Resolves model names and aliases to fallback chains of upstream targets. */
export interface Router {
  /** The ordered chain for a model; throws `AEGIS_NOT_FOUND` when nothing serves it. */
  resolve(model: string, api: ApiKind): RouteTarget[];
  /** Model names and aliases the gateway can serve (for `/v1/models`). */
  models(): string[];
}

/**
 * Routing by model name and alias. An alias maps to an ordered chain of `upstream/model` entries
 * (fallback order); a plain model goes to every upstream that lists it (or `*`), in config order.
 * Chains are computed once per (model, api) and cached; the cache is bounded.
 */
export function createRouter(config: Pick<GatewayConfig, 'upstreams' | 'aliases'>): Router {
  const byName = new Map(config.upstreams.map((upstream) => [upstream.name, upstream]));
  const cache = new Map<string, RouteTarget[]>();
  function compute(model: string, api: ApiKind): RouteTarget[] {
    const alias = config.aliases[model];
    if (alias !== undefined) {
      const chain: RouteTarget[] = [];
      for (const entry of alias) {
        const slash = entry.indexOf('/');
        const upstream = byName.get(entry.slice(0, slash));
        if (upstream && providerServes(upstream.provider, api))
          chain.push({ upstream, model: entry.slice(slash + 1) });
      }
      return chain;
    }
    const chain: RouteTarget[] = [];
    for (const upstream of config.upstreams) {
      if (!providerServes(upstream.provider, api)) continue;
      if (upstream.models.includes(model) || upstream.models.includes('*')) chain.push({ upstream, model });
    }
    return chain;
  }
  return {
    resolve(model, api) {
      const key = `${api}\u0000${model}`;
      let chain = cache.get(key);
      if (chain === undefined) {
        chain = compute(model, api);
        if (cache.size >= 10_000) cache.clear();
        cache.set(key, chain);
      }
      if (chain.length === 0) {
        throw gatewayError(
          ERROR_CODES.NOT_FOUND,
          `no upstream serves model ${JSON.stringify(model.slice(0, 128))}`,
        );
      }
      return chain;
    },
    models() {
      const names = new Set<string>(Object.keys(config.aliases));
      for (const upstream of config.upstreams)
        for (const model of upstream.models) if (model !== '*') names.add(model);
      return [...names];
    },
  };
}
