import type { GatewayConfigInput } from '../config/gateway-config-schema.js';
import type { MockUpstream } from './mock-upstream.js';

/**
 * The upstreams most gateway tests route to: the mock as an OpenAI-compatible provider (model `gpt`) and as
 * Anthropic (model `claude`, whose base URL has no `/v1`), without retries.
 */
export function twoProviderUpstreams(mock: MockUpstream): NonNullable<GatewayConfigInput['upstreams']> {
  const origin = mock.url.replace(/\/v1$/, '');
  return [
    { name: 'openai', provider: 'openai', baseUrl: mock.url, models: ['gpt'], retries: 0 },
    { name: 'claude', provider: 'anthropic', baseUrl: origin, models: ['claude'], retries: 0 },
  ];
}
