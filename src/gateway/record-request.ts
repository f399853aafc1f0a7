import { performance } from 'node:perf_hooks';
import { ERROR_CODES } from '../spec/errors.js';
import type { GatewayAudit, GatewayMonitor } from './gateway-hooks.js';
import type { GatewayLogger } from './gateway-logger.js';
import { MODEL_ROUTES } from './model-routes.js';
import type { RequestState } from './request-state.js';
import { SIMULATED_MODEL } from './simulated/simulated-answer.js';

/**
 * The route label of a request for metrics: its path when it is a route the gateway serves, else
 * `unknown`. Anyone can send requests to made-up paths, and the metrics keep only the first label values
 * they see: made-up paths must not take the places of real routes.
 */
function metricsRoute(route: string): string {
  return MODEL_ROUTES.has(route) || route === '/v1/models' ? route : 'unknown';
}

/** Where finished requests are reported. */
export interface RequestRecorder {
  audit: GatewayAudit | undefined;
  monitor: GatewayMonitor | undefined;
  logger: GatewayLogger;
  logRequests: boolean;
}

/**
 * Books a finished request: releases its limiter lease with the tokens used, appends one audit record
 * (model routes; findings without values, bypasses, redacted payload), reports it to metrics and anomaly
 * detection, and writes one structured log line (no prompt text, no keys).
 */
export function recordRequest(options: RequestRecorder, state: RequestState): void {
  const { logger } = options;
  const durationMs = performance.now() - state.started;
  const status = state.status || state.response.statusCode;
  if (state.lease) {
    // Settle the admission estimate with what was used: the answer's tokens; nothing for a request the
    // gateway refused or the upstream failed (it produced no answer); the estimate when that is unknown
    // (a caller that left, 499, may have let the upstream run).
    let used: { tokens: number } | undefined;
    if (state.tokens) used = { tokens: state.tokens.input + state.tokens.output };
    else if (status >= 400 && status !== 499) used = { tokens: 0 };
    state.lease.release(used);
  }
  if (state.route.startsWith('/v1/')) {
    options.audit?.append({
      requestId: state.requestId,
      time: Date.now() - durationMs,
      keyId: state.keyId,
      method: state.request.method,
      route: state.route,
      model: state.model,
      upstream: state.upstream,
      status,
      latencyMs: durationMs,
      streamed: state.streamed,
      input: state.inputAction === null ? null : { action: state.inputAction, findings: state.inputFindings },
      output:
        state.outputAction === null ? null : { action: state.outputAction, findings: state.outputFindings },
      tokens: state.tokens,
      errorCode: state.errorCode,
      bypasses: state.bypasses,
      ...(state.payload === undefined ? {} : { payload: state.payload }),
    });
    if (options.monitor) {
      const blocked: string[] = [];
      if (state.errorCode === ERROR_CODES.INPUT_BLOCKED)
        for (const finding of state.inputFindings) blocked.push(finding.category);
      if (state.errorCode === ERROR_CODES.OUTPUT_BLOCKED)
        for (const finding of state.outputFindings) blocked.push(finding.category);
      const observation: Parameters<GatewayMonitor['observe']>[0] = {
        route: metricsRoute(state.route),
        method: state.request.method ?? 'GET',
        status,
        durationMs,
        keyId: state.keyId,
        model: state.model,
        upstream: state.upstream,
        inputAction: state.inputAction,
        outputAction: state.outputAction,
        blockedCategories: blocked,
        guardMs: state.guardMs,
        tokens: state.tokens,
        streamed: state.streamed,
        errorCode: state.errorCode,
      };
      if (state.prompt !== undefined) observation.prompt = state.prompt;
      options.monitor.observe(observation);
    }
  }
  if (options.logRequests && logger.enabled('info')) {
    logger.info('request', {
      requestId: state.requestId,
      method: state.request.method,
      route: state.route,
      status,
      ms: Math.round(durationMs * 1000) / 1000,
      keyId: state.keyId,
      model: state.model,
      upstream: state.upstream === 'simulated' ? `simulated (${SIMULATED_MODEL})` : state.upstream,
      input: state.inputAction,
      output: state.outputAction,
      errorCode: state.errorCode,
      streamed: state.streamed,
    });
  }
}
