import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Guard } from '../guard/types.js';
import { createLogger } from '../monitor/logger.js';
import { classifyAddress } from '../net/address-class.js';
import { AegisError, ERROR_CODES, isAegisError } from '../spec/errors.js';
import type { AdminRoutes } from '../store/admin-routes.js';
import type { GatewayConfig } from './config/gateway-config-schema.js';
import type { GatewayContext } from './gateway-context.js';
import type { GatewayAudit, GatewayKeys, GatewayLimiter, GatewayMonitor } from './gateway-hooks.js';
import type { GatewayLogger } from './gateway-logger.js';
import { createCleanTextCache } from './guard/clean-text-cache.js';
import { handleModelRequest } from './handle-model-request.js';
import { gatewayError, sendError } from './http/api-error.js';
import { answerClientError } from './http/client-error.js';
import { createMetricsAccess, METRICS_TOKEN_ENV } from './http/metrics-access.js';
import { createWriteStallWatchdog } from './http/write-stall-watchdog.js';
import { MODEL_ROUTES } from './model-routes.js';
import { recordRequest } from './record-request.js';
import { createRequestState, type RequestState } from './request-state.js';
import { type CircuitBreaker, createCircuitBreaker } from './routing/circuit-breaker.js';
import { createRouter } from './routing/router.js';
import { createUpstreamClient } from './routing/upstream-client.js';
import { handleServiceRoute, type ServiceRoutes } from './service-routes.js';
import { createShutdownRegistry } from './shutdown-registry.js';
import { SIMULATED_MODEL } from './simulated/simulated-answer.js';
import { simulatedUpstream } from './simulated/simulated-upstream.js';

/** Options of `createGateway`. */
export interface GatewayOptions {
  config: GatewayConfig;
  guard: Guard;
  keys?: GatewayKeys;
  limiter?: GatewayLimiter;
  audit?: GatewayAudit;
  monitor?: GatewayMonitor;
  logger?: GatewayLogger;
  /** Admin endpoints (keys, audit) mounted under `/admin`, protected by the admin token. */
  admin?: AdminRoutes;
  environment?: NodeJS.ProcessEnv;
  /**
   * Request texts go through `guard.checkAsync` (the guard's asynchronous back-ends). Default: when the
   * config names back-ends (`startGateway` builds the guard with them).
   */
  asyncInputChecks?: boolean;
}

/** A running (or ready to run) gateway. */
export interface Gateway {
  readonly server: Server;
  /** Binds host:port from the config; refuses a non-loopback address without API keys. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, lets in-flight requests finish (bounded by `shutdownGraceMs`), flushes the audit log. */
  close(): Promise<void>;
  /** True while the gateway accepts requests. */
  readonly ready: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when a request announces a body (RFC 9112 §6.3: a content-length above 0, or chunked). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** How a cancelled upstream call surfaces: an abort before the answer, a failed body after it. */
function isCancelled(error: unknown): boolean {
  if (!isAegisError(error)) return (error as { name?: unknown } | null)?.name === 'AbortError';
  return error.code === ERROR_CODES.UPSTREAM_ERROR || error.code === ERROR_CODES.UPSTREAM_TIMEOUT;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || classifyAddress(host) === 'loopback';
}

/** The effective upstreams: the configured ones, or the built-in simulated model when none is configured. */
export function effectiveUpstreams(config: GatewayConfig): GatewayConfig['upstreams'] {
  if (config.upstreams.length > 0) return config.upstreams;
  return [
    {
      name: 'simulated',
      provider: 'simulated',
      models: ['*'],
      timeoutMs: config.limits.requestTimeoutMs,
      retries: 0,
      connections: 1,
      allowPrivateNetwork: false,
      anthropicVersion: '2023-06-01',
    },
  ];
}

/**
 * Creates the Aegis gateway: a raw `node:http` server (no framework, for a short hot path) exposing the
 * OpenAI and Anthropic model routes with auth, limits, input/output guards and audit, plus health,
 * readiness, model list and metrics endpoints.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, guard } = options;
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  const upstreams = effectiveUpstreams(config);
  const breakers = new Map<string, CircuitBreaker>();
  for (const upstream of upstreams) breakers.set(upstream.name, createCircuitBreaker(config.circuitBreaker));
  // Auth is required once the key store has held a key, revoked ones included, and stays required: a
  // revoked last key must not open the gateway to everyone (it would fail open, even on a public bind).
  let keysPresent = options.keys ? options.keys.countAll() > 0 : false;
  const keyRefresh = options.keys
    ? setInterval(() => {
        try {
          keysPresent ||= (options.keys as GatewayKeys).countAll() > 0;
        } catch (error) {
          logger.error('key store check failed', { code: isAegisError(error) ? error.code : 'unknown' });
        }
      }, 2_000).unref()
    : undefined;
  const context: GatewayContext = {
    config,
    guard,
    router: createRouter({ upstreams, aliases: config.aliases }),
    client: createUpstreamClient({
      upstreams,
      environment: options.environment ?? process.env,
      simulated: simulatedUpstream,
    }),
    breaker: (name) => breakers.get(name) as CircuitBreaker,
    keys: options.keys,
    authRequired: () => config.auth.required || keysPresent,
    limiter: options.limiter,
    monitor: options.monitor,
    audited: options.audit !== undefined,
    logger,
    inputCache: createCleanTextCache({
      maxEntries: config.inputCache.entries,
      maxTextLength: config.inputCache.maxTextChars,
    }),
    asyncInputChecks:
      options.asyncInputChecks ??
      (config.backends?.onnx !== undefined || config.backends?.judge !== undefined),
    shutdown: createShutdownRegistry(),
  };
  const usesSimulated = upstreams.some((upstream) => upstream.provider === 'simulated');
  let accepting = false;
  let inFlight = 0;
  let idleResolve: (() => void) | undefined;

  const recorder = {
    audit: options.audit,
    monitor: options.monitor,
    logger,
    logRequests: config.logging.requests,
  };
  const finishRequest = (state: RequestState): void => recordRequest(recorder, state);
  // A caller that stops reading would hold its connection, the upstream call (paused by backpressure),
  // its buffers and its limiter slots for ever: past `writeStallTimeoutMs` without a byte moving it is
  // dropped, which cancels the upstream call as for a caller that left. So is a caller that keeps bytes
  // waiting and takes them below `slowReaderBytesPerSecond` over `slowReaderWindowMs` (a slow reader).
  const watchdog = createWriteStallWatchdog({
    timeoutMs: config.limits.writeStallTimeoutMs,
    minBytesPerSecond: config.limits.slowReaderBytesPerSecond,
    slowWindowMs: config.limits.slowReaderWindowMs,
  });

  const metricsAccess = createMetricsAccess({
    loopback: isLoopbackHost(config.host),
    public: config.metrics.public,
    tokenEnv: config.metrics.tokenEnv,
    environment: options.environment ?? process.env,
    admin: options.admin,
  });
  const services: ServiceRoutes = {
    authorizeMetrics: metricsAccess.mode === 'token' ? metricsAccess.authorize : undefined,
    context,
    admin: options.admin,
    monitor: options.monitor,
    upstreams,
    usesSimulated,
    accepting: () => accepting,
    keysChanged: () => {
      // Keys created or revoked over the admin API take effect at once (other processes: within 2 s).
      if (options.keys) keysPresent ||= options.keys.countAll() > 0;
    },
  };

  // Not `async`: both handlers are, so the caller gets their promise itself rather than one wrapped
  // around it (one promise and two microtask turns fewer per request).
  function route(state: RequestState): Promise<void> {
    const model = MODEL_ROUTES.get(state.route);
    if (model === undefined) return handleServiceRoute(services, state);
    if (state.request.method !== 'POST') {
      return Promise.reject(gatewayError(ERROR_CODES.METHOD_NOT_ALLOWED, `${state.route} accepts POST`));
    }
    return handleModelRequest(context, state, model);
  }

  function onRequest(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    const incomingId = request.headers['x-request-id'];
    const requestId =
      typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    response.setHeader('x-request-id', requestId);
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const state = createRequestState({
      request,
      response,
      requestId,
      route: query === -1 ? url : url.slice(0, query),
      started,
    });
    inFlight++;
    let stalled: string | undefined;
    watchdog.watch(response, (report) => {
      if (report.reason === 'slow') {
        stalled = ERROR_CODES.CLIENT_TOO_SLOW;
        logger.warn('caller reads too slowly: connection reset', {
          requestId,
          route: state.route,
          errorCode: stalled,
          readBytesPerSecond: Math.floor((report.takenBytes * 1_000) / Math.max(1, report.elapsedMs)),
          minBytesPerSecond: config.limits.slowReaderBytesPerSecond,
          measuredMs: report.elapsedMs,
        });
      } else {
        stalled = ERROR_CODES.CLIENT_WRITE_STALLED;
        logger.warn('caller stopped reading: connection reset', {
          requestId,
          route: state.route,
          errorCode: stalled,
          stalledMs: config.limits.writeStallTimeoutMs,
        });
      }
      // A reset, not a close: a closed socket would keep the bytes nobody reads in the kernel's buffers.
      const socket = response.socket;
      if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else response.destroy();
    });
    const book = (): void => {
      inFlight--;
      if (stalled !== undefined) {
        // Recorded like a caller that left (499), with the reason.
        state.status = 499;
        state.errorCode = stalled;
      }
      try {
        finishRequest(state);
      } catch (error) {
        logger.error('request bookkeeping failed', {
          requestId,
          error: error instanceof Error ? error.message : 'unknown',
        });
      }
      if (inFlight === 0 && idleResolve) idleResolve();
    };
    const settle = (): void => {
      // A whole answer larger than the socket's buffers is still leaving: the request is booked when
      // it has left or the connection closed, so a caller that never reads it is recorded as such.
      if (!response.destroyed && !response.writableFinished && (response.socket?.writableLength ?? 0) > 0) {
        response.once('close', () => {
          if (!response.writableFinished && state.status < 400) state.status = 499;
          book();
        });
        return;
      }
      book();
    };
    // One `then` with both handlers rather than `catch` + `finally` (two promises fewer per request).
    route(state).then(settle, (error: unknown) => {
      try {
        handleError(state, error);
      } finally {
        settle();
      }
    });
  }

  function handleError(state: RequestState, failure: unknown): void {
    // The shutdown's grace period ran out and cancelled this request's upstream call.
    const error =
      context.shutdown.stopping && isCancelled(failure)
        ? gatewayError(ERROR_CODES.SHUTTING_DOWN, 'the gateway is shutting down; retry the request')
        : failure;
    const known = isAegisError(error);
    if (state.response.destroyed && !state.response.headersSent) {
      // The caller left before any answer (nginx's 499, "client closed request"): nobody reads an error,
      // and the upstream request cancelled for it is no failure of the gateway's.
      state.status = 499;
      state.errorCode = known ? error.code : null;
      return;
    }
    state.errorCode = known ? error.code : ERROR_CODES.INTERNAL;
    if (known && error.code === ERROR_CODES.INPUT_BLOCKED && state.inputAction === null) {
      state.inputAction = 'block';
      state.inputFindings = (error.details?.findings as RequestState['inputFindings']) ?? [];
    }
    if (!known)
      logger.error('unexpected error', {
        requestId: state.requestId,
        error: error instanceof Error ? error.message : 'unknown',
      });
    const extra: Record<string, string> = {};
    const retryAfter = known ? error.details?.retryAfter : undefined;
    if (typeof retryAfter === 'number') extra['retry-after'] = String(retryAfter);
    // A request refused before its body was read (key, content type, route, size): the rest of the body
    // is not read — answer, then close the connection, so nobody makes the gateway take in (and throw
    // away) an upload of any size it already refused.
    const unread = !state.request.complete && hasBody(state.request);
    const early =
      unread || (known && (error.code === ERROR_CODES.BODY_TOO_LARGE || error.code === ERROR_CODES.TIMEOUT));
    if (early) {
      extra.connection = 'close';
      state.response.once('finish', () => state.request.socket.destroySoon?.());
    }
    sendError(state.response, known ? error : new AegisError(ERROR_CODES.INTERNAL, 'internal error'), extra);
    state.status = state.response.statusCode;
  }

  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      requestTimeout: config.limits.requestTimeoutMs,
      // Node enforces `requestTimeout` when it sweeps connections (every 30 s by default), which let a
      // slow sender hold a connection for up to twice the limit.
      connectionsCheckingInterval: Math.min(1_000, config.limits.requestTimeoutMs),
    },
    onRequest,
  );
  server.on('clientError', answerClientError);

  return {
    server,
    get ready() {
      return accepting;
    },
    listen() {
      const activeKeys = options.keys ? options.keys.countActive() > 0 : false;
      if (!isLoopbackHost(config.host) && !config.auth.required && !activeKeys) {
        return Promise.reject(
          new AegisError(
            ERROR_CODES.NON_LOOPBACK_WITHOUT_KEYS,
            `refusing to listen on ${config.host} without API keys: create one with \`aegis keys create\` or bind 127.0.0.1`,
          ),
        );
      }
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          accepting = true;
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          if (usesSimulated) {
            logger.warn('no upstream configured: answering with the built-in simulated model', {
              model: SIMULATED_MODEL,
            });
          }
          if (metricsAccess.unusable && options.monitor?.render) {
            logger.warn('/metrics needs a token on this address and none is set: every scrape is refused', {
              set: config.metrics.tokenEnv ?? METRICS_TOKEN_ENV,
            });
          }
          logger.info('gateway listening', {
            host: address.address,
            port: address.port,
            streaming: config.streaming.mode,
          });
          resolve({ host: address.address, port: address.port, url: `http://${host}:${address.port}` });
        });
      });
    },
    async close() {
      accepting = false;
      if (keyRefresh) clearInterval(keyRefresh);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const idle = new Promise<void>((resolve) => {
          idleResolve = resolve;
        });
        const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
        await Promise.race([idle, wait(config.shutdownGraceMs)]);
        if (inFlight > 0) {
          // Past the grace period: cancel the upstream calls, so streams end with an error event and
          // whole requests with a 503 before the connections close.
          context.shutdown.cancelAll();
          await Promise.race([idle, wait(1_000)]);
        }
      }
      server.closeAllConnections();
      await closed;
      watchdog.close();
      if (inFlight > 0) {
        // Answers still leaving when their connections were closed are booked as those close.
        await Promise.race([
          new Promise<void>((resolve) => {
            idleResolve = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
        ]);
      }
      await context.client.close();
      try {
        options.audit?.close();
      } catch (error) {
        logger.error('audit flush failed on shutdown', {
          code: isAegisError(error) ? error.code : 'unknown',
        });
      }
      options.limiter?.close?.();
      logger.info('gateway stopped', {});
    },
  };
}
