import type { ServerResponse } from 'node:http';
import { ERROR_CODES } from '../spec/errors.js';
import type { AdminRoutes } from '../store/admin-routes.js';
import { authenticate } from './auth/authenticate.js';
import type { GatewayConfig } from './config/gateway-config-schema.js';
import type { GatewayContext } from './gateway-context.js';
import type { GatewayMonitor } from './gateway-hooks.js';
import { gatewayError } from './http/api-error.js';
import { parseJsonBody } from './http/parse-json-body.js';
import { isJsonContentType, readBody } from './http/read-body.js';
import type { RequestState } from './request-state.js';
import { SIMULATED_MODEL } from './simulated/simulated-answer.js';

/** What the non-model routes need from the running gateway. */
export interface ServiceRoutes {
  context: GatewayContext;
  admin: AdminRoutes | undefined;
  monitor: GatewayMonitor | undefined;
  upstreams: GatewayConfig['upstreams'];
  usesSimulated: boolean;
  accepting(): boolean;
  /** Called after an admin request (keys may have been created or revoked). */
  keysChanged(): void;
  /** Throws unless the request may read `/metrics` (a token off loopback); absent: open. */
  authorizeMetrics?: ((headers: RequestState['request']['headers']) => void) | undefined;
}

const GET_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/v1/models']);

/** True when some upstream serves `model` on an OpenAI or the Anthropic route. */
function served(services: ServiceRoutes, model: string): boolean {
  for (const api of ['chat', 'anthropic'] as const) {
    try {
      services.context.router.resolve(model, api);
      return true;
    } catch {
      // not served on this API
    }
  }
  return false;
}

/** Sends a JSON body with its length. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function handleAdmin(services: ServiceRoutes, admin: AdminRoutes, state: RequestState): Promise<void> {
  const { request } = state;
  admin.authorize(request.headers);
  let body: unknown;
  if (admin.needsBody(request.method ?? 'GET')) {
    if (!isJsonContentType(request.headers['content-type'])) {
      throw gatewayError(ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'content-type must be application/json');
    }
    const raw = await readBody(request, { limitBytes: 65_536 });
    body = parseJsonBody(raw, services.context.config.limits.jsonDepth);
  }
  const result = admin.handle({
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    headers: request.headers,
    body,
  });
  services.keysChanged();
  sendJson(state.response, result.status, result.body);
}

/**
 * Health (`/healthz`), readiness with circuit states (`/readyz`), Prometheus metrics (`/metrics`), the model
 * list (`/v1/models`, behind auth) and the admin endpoints (behind the admin token).
 */
export async function handleServiceRoute(services: ServiceRoutes, state: RequestState): Promise<void> {
  const { request, response } = state;
  if (services.admin?.matches(state.route)) return handleAdmin(services, services.admin, state);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (GET_ROUTES.has(state.route))
      throw gatewayError(ERROR_CODES.METHOD_NOT_ALLOWED, `${state.route} accepts GET`);
    throw gatewayError(ERROR_CODES.ROUTE_NOT_FOUND, 'unknown route');
  }
  switch (state.route) {
    case '/healthz':
      return sendJson(response, 200, { status: 'ok' });
    case '/readyz': {
      const ready = services.accepting();
      return sendJson(response, ready ? 200 : 503, {
        status: ready ? 'ready' : 'stopping',
        upstreams: services.upstreams.map((upstream) => ({
          name: upstream.name,
          circuit: services.context.breaker(upstream.name).state,
        })),
      });
    }
    case '/metrics': {
      services.authorizeMetrics?.(request.headers);
      if (!services.monitor?.render)
        throw gatewayError(ERROR_CODES.ROUTE_NOT_FOUND, 'metrics are not enabled');
      const metrics = await services.monitor.render();
      response.writeHead(200, { 'content-type': metrics.contentType });
      response.end(metrics.body);
      return;
    }
    case '/v1/models': {
      const principal = authenticate(services.context, state);
      let names = services.context.router.models();
      if (services.usesSimulated) names.push(SIMULATED_MODEL);
      // A key limited to some models sees those an upstream serves, by name, alias or `*` (which the
      // plain list cannot enumerate).
      if (principal?.models) names = principal.models.filter((name) => served(services, name));
      return sendJson(response, 200, {
        object: 'list',
        data: names.map((id) => ({ id, object: 'model', created: 0, owned_by: 'aegis' })),
      });
    }
    default:
      throw gatewayError(ERROR_CODES.ROUTE_NOT_FOUND, 'unknown route');
  }
}
