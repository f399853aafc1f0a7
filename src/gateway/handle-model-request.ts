import { performance } from 'node:perf_hooks';
import { ERROR_CODES } from '../spec/errors.js';
import { redactedAuditPayload } from './audit/redacted-audit-payload.js';
import { scanSensitiveTexts } from './audit/scan-sensitive-texts.js';
import { authenticate } from './auth/authenticate.js';
import type { GatewayContext } from './gateway-context.js';
import { guardWholeResponse } from './guard/guard-whole-response.js';
import { runInputGuard, runInputGuardAsync } from './guard/input-guard.js';
import { createOutputChecker } from './guard/output-checker.js';
import { createResponseGuard, type ResponseGuard } from './guard/response-guard.js';
import { assertToolsAllowed, resolveToolAllowlist } from './guard/tool-allowlist.js';
import { checkUpstreamErrorBody, unrecognisedUpstreamError } from './guard/upstream-error-body.js';
import { isAllowedResponseHeader } from './header-allowlist.js';
import { gatewayError } from './http/api-error.js';
import { parseJsonBody } from './http/parse-json-body.js';
import { isJsonContentType, readBody } from './http/read-body.js';
import { readStreamLimited } from './http/read-stream-limited.js';
import { admitRequest } from './limits/admit-request.js';
import type { ModelRoute } from './model-routes.js';
import type { ExtractedRequest } from './providers/text-slot.js';
import type { RequestState } from './request-state.js';
import { createCancellation } from './routing/cancel-signal.js';
import type { RouteTarget } from './routing/router.js';
import { sendWithFallback } from './routing/send-with-fallback.js';
import type { UpstreamReply, UpstreamSend } from './routing/upstream-client.js';
import type { ShutdownRegistry } from './shutdown-registry.js';
import { pipeGuardedStream } from './streaming/pipe-guarded-stream.js';
import { isFilterViolation, type StreamTransformer } from './streaming/stream-transformer.js';
import { tapStreamUsage } from './streaming/stream-usage.js';

function usageTokens(body: Record<string, unknown>): { input: number; output: number } | null {
  const usage = body.usage as Record<string, unknown> | undefined;
  if (!usage || typeof usage !== 'object') return null;
  const input = usage.prompt_tokens ?? usage.input_tokens;
  const output = usage.completion_tokens ?? usage.output_tokens ?? 0;
  if (typeof input !== 'number') return null;
  return { input, output: typeof output === 'number' ? output : 0 };
}

function lastUserText(extracted: ExtractedRequest): string | undefined {
  for (let index = extracted.slots.length - 1; index >= 0; index--) {
    const slot = extracted.slots[index]!;
    if (slot.role === 'user')
      return String((slot.container as Record<string | number, unknown>)[slot.key]).slice(0, 2000);
  }
  return undefined;
}

function copyReplyHeaders(reply: UpstreamReply, state: RequestState): void {
  for (const name of Object.keys(reply.headers)) {
    if (!isAllowedResponseHeader(name)) continue;
    const value = reply.headers[name];
    if (value !== undefined) state.response.setHeader(name, value);
  }
}

function outputAction(guard: ResponseGuard): string {
  if (guard.violation !== undefined) return 'block';
  if (guard.redacted) return 'redact';
  return guard.findings().length > 0 ? 'flag' : 'allow';
}

/**
 * A transformer whose closing events, once a shutdown cancelled the stream's upstream call, say so
 * (`AEGIS_SHUTTING_DOWN`) rather than blame the upstream.
 */
function closingOnShutdown(transformer: StreamTransformer, shutdown: ShutdownRegistry): StreamTransformer {
  return {
    onEvent: (event) => transformer.onEvent(event),
    onEnd: () => transformer.onEnd(),
    closing: (reason) =>
      transformer.closing(
        shutdown.stopping && !isFilterViolation(reason)
          ? {
              code: ERROR_CODES.SHUTTING_DOWN,
              message: 'the gateway is shutting down; retry the request',
              findings: [],
            }
          : reason,
      ),
    get complete() {
      return transformer.complete;
    },
  };
}

/**
 * The model-route pipeline: auth → body limits → parse → tool allowlist → limits → input guard (per
 * role, redaction into a per-request vault) → routing with retries/fallback → output guard (whole or
 * streamed) with placeholder restore → caller.
 */
export async function handleModelRequest(
  context: GatewayContext,
  state: RequestState,
  route: ModelRoute,
): Promise<void> {
  const { config } = context;
  const { request, response } = state;
  const principal = authenticate(context, state);
  if (!isJsonContentType(request.headers['content-type'])) {
    throw gatewayError(ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'content-type must be application/json');
  }
  const raw = await readBody(request, {
    limitBytes: config.limits.bodyBytes,
  });
  const body = parseJsonBody(raw, config.limits.jsonDepth);
  const extracted = route.extract(body);
  state.model = extracted.model;
  state.streamed = extracted.stream;
  if (principal?.models && !principal.models.includes(extracted.model)) {
    throw gatewayError(
      ERROR_CODES.MODEL_NOT_ALLOWED,
      `this key may not use model ${JSON.stringify(extracted.model.slice(0, 128))}`,
    );
  }
  const tools = resolveToolAllowlist({
    global: config.tools.allow,
    route: config.tools.routes[state.route],
    key: principal?.tools,
  });
  assertToolsAllowed(extracted.tools, tools);
  if (context.limiter && principal) {
    state.lease = admitRequest({ limiter: context.limiter, principal, bodyBytes: raw.length, body });
  }

  const vault = context.guard.createVault();
  const guardStart = performance.now();
  const inputOptions = {
    guard: context.guard,
    extracted,
    vault,
    failMode: config.failMode,
    cache: context.inputCache,
    toolDefinitions: config.tools.definitions,
  };
  const input = context.asyncInputChecks
    ? await runInputGuardAsync(inputOptions)
    : runInputGuard(inputOptions);
  state.guardMs += performance.now() - guardStart;
  state.inputAction = input.action;
  state.inputFindings = input.findings;
  if (input.bypass)
    state.bypasses.push({ reason: 'an input check failed and the request was let through (fail open)' });
  // For anomaly detection (near-duplicate prompts); nobody else reads it.
  if (context.monitor) state.prompt = lastUserText(extracted);
  // The body as sent, or a copy with the values the guard found but the policy let through masked (only
  // when there are any); after a check failed open, only its shape. Only the audit log reads it: without
  // one, neither the copy nor the scan of the strings the input guard did not check is made.
  const payloads = context.audited ? config.audit.payloads : undefined;
  if (payloads === 'redacted')
    state.payload = {
      redacted: redactedAuditPayload({
        body,
        extracted,
        checked: input.checked,
        bypass: input.bypass,
        scan: (texts) => scanSensitiveTexts({ guard: context.guard, texts }),
      }),
    };
  else if (payloads === 'full') state.payload = { full: raw.toString('utf8') };

  const targets = context.router.resolve(extracted.model, route.api);
  let serialized: string | undefined;
  // A caller that leaves before the answer is complete must not keep the upstream generating, nor hold
  // one of its pooled connections until the upstream is done (whole answers included: a long completion
  // nobody waits for any more would otherwise block later requests).
  // (A response that finished normally needs no abort, which would build an AbortError for nothing.)
  const abort = createCancellation();
  const untrack = context.shutdown.track(abort);
  response.once('close', () => {
    untrack();
    if (!response.writableFinished) abort.abort();
  });
  const build = (target: RouteTarget): UpstreamSend => {
    let payload: Buffer | string = raw;
    if (input.changed || target.model !== extracted.model) {
      if (body.model !== target.model) {
        body.model = target.model;
        serialized = undefined;
      }
      serialized ??= JSON.stringify(body);
      payload = serialized;
    }
    return {
      target,
      api: route.api,
      body: payload,
      parsed: body,
      stream: extracted.stream,
      callerHeaders: request.headers,
      requestId: state.requestId,
      signal: abort,
    };
  };
  const routed = await sendWithFallback({
    client: context.client,
    targets,
    breakers: context.breaker,
    retry: config.retry,
    request: build,
    onFailure: context.monitor ? (info) => context.monitor?.upstreamFailure(info) : undefined,
  });
  const { reply } = routed;
  state.upstream = routed.target.upstream.name;
  if (input.action !== 'allow') response.setHeader('x-aegis-input-action', input.action);
  if (vault.size > 0) response.setHeader('x-aegis-redactions', String(vault.size));
  copyReplyHeaders(reply, state);

  const checkerOptions: Parameters<typeof createOutputChecker>[0] = {
    guard: context.guard,
    failMode: config.failMode,
  };
  if (extracted.systemPrompt !== undefined) checkerOptions.systemPrompt = extracted.systemPrompt;
  const responseGuard = createResponseGuard({
    checker: createOutputChecker(checkerOptions),
    streaming: config.streaming,
    vault,
    tools,
    maxBufferChars: config.limits.responseBytes,
    toolListings: { mode: config.tools.definitions, failMode: config.failMode, cache: context.inputCache },
  });
  if (reply.statusCode === 401 || reply.statusCode === 403) {
    // The upstream refused the gateway's own credential. Its message may quote part of that key
    // (providers echo a masked key), so it is not passed on.
    reply.body.resume();
    throw gatewayError(
      ERROR_CODES.UPSTREAM_ERROR,
      `upstream ${state.upstream} refused the gateway's credentials`,
      {
        upstream: state.upstream,
        upstreamStatus: reply.statusCode,
      },
    );
  }
  if (reply.statusCode >= 400) {
    // The upstream refused the request (4xx other than 429). Its answer is upstream text the caller
    // receives (validation messages echo the request, placeholders included): the status and the API's
    // error shape stay, the message is checked and restored, only short identifiers are kept.
    const upstreamError = await readStreamLimited(reply.body, 65_536);
    const checked = checkUpstreamErrorBody({ guard: responseGuard, api: route.api, body: upstreamError });
    state.outputAction = outputAction(responseGuard);
    state.outputFindings = responseGuard.findings();
    if (responseGuard.bypass)
      state.bypasses.push({ family: 'output', reason: 'an output check failed open' });
    if (checked.kind === 'blocked') {
      const violation = responseGuard.violation!;
      throw gatewayError(violation.code, violation.message, { findings: violation.findings });
    }
    const out = JSON.stringify(
      checked.kind === 'error' ? checked.body : unrecognisedUpstreamError(state.upstream, reply.statusCode),
    );
    state.status = reply.statusCode;
    state.errorCode = ERROR_CODES.UPSTREAM_ERROR;
    response.writeHead(reply.statusCode, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(out),
    });
    response.end(out);
    return;
  }

  const contentType = String(reply.headers['content-type'] ?? '');
  if (extracted.stream && contentType.startsWith('text/event-stream')) {
    const tapped = tapStreamUsage(closingOnShutdown(route.stream(responseGuard), context.shutdown));
    const outcome = await pipeGuardedStream({
      reply,
      response,
      transformer: tapped.transformer,
      guard: responseGuard,
      abort,
    });
    state.status = 200;
    state.outputAction = outputAction(responseGuard);
    state.outputFindings = responseGuard.findings();
    if (responseGuard.bypass)
      state.bypasses.push({ family: 'output', reason: 'an output check failed open' });
    if (outcome.violation) state.errorCode = outcome.violation.code;
    if (outcome.outcome === 'upstream-error' && context.shutdown.stopping)
      state.errorCode = ERROR_CODES.SHUTTING_DOWN;
    // The connection closed before the stream ended (nginx's 499, "client closed request").
    if (outcome.outcome === 'client-closed') state.status = 499;
    // The provider's own counts when the stream reports them; else about 4 characters a token, of the
    // request body and of the text the caller received (not of the events' JSON, many times longer).
    state.tokens = {
      input: tapped.usage.input ?? Math.ceil(raw.length / 4),
      output: tapped.usage.output ?? Math.ceil(responseGuard.releasedChars() / 4),
    };
    return;
  }

  const upstreamBody = await readStreamLimited(reply.body, config.limits.responseBytes);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(upstreamBody.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw gatewayError(ERROR_CODES.UPSTREAM_ERROR, 'the upstream sent a response that is not JSON');
  }
  // Every supported API answers with an object; anything else would pass the shape checks unread.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw gatewayError(ERROR_CODES.UPSTREAM_ERROR, 'the upstream sent a response that is not a JSON object');
  }
  const outputStart = performance.now();
  const ok = guardWholeResponse({ shape: route.shape, guard: responseGuard, body: parsed });
  state.guardMs += performance.now() - outputStart;
  state.outputAction = outputAction(responseGuard);
  state.outputFindings = responseGuard.findings();
  state.tokens = usageTokens(parsed);
  if (responseGuard.bypass) state.bypasses.push({ family: 'output', reason: 'an output check failed open' });
  if (!ok) {
    const violation = responseGuard.violation!;
    throw gatewayError(violation.code, violation.message, { findings: violation.findings });
  }
  const out = responseGuard.changed || route.shape === 'anthropic' ? JSON.stringify(parsed) : upstreamBody;
  state.status = 200;
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
  response.end(out);
}
