import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { type Dispatcher, errors, Pool, util } from 'undici';
import type { UpstreamConfig } from '../config/gateway-config-schema.js';
import { copyAllowedRequestHeaders } from '../header-allowlist.js';
import { type PreparedUpstream, prepareUpstream, providerRequest } from '../providers/provider-request.js';
import { createSafeLookup } from '../ssrf.js';
import type { CancelSignal } from './cancel-signal.js';
import type { ApiKind, RouteTarget } from './router.js';
import { PushBody, type UpstreamBody } from './upstream-body.js';

/** An upstream's answer: status, headers and a readable body. */
export interface UpstreamReply {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

/** One request to one upstream. */
export interface UpstreamSend {
  target: RouteTarget;
  api: ApiKind;
  body: Buffer | string;
  /** The parsed (and possibly redacted) body, for in-process upstreams. */
  parsed: Record<string, unknown>;
  stream: boolean;
  callerHeaders: IncomingHttpHeaders;
  requestId: string;
  /** Cancels the request (the caller left); an `AbortSignal` fits. */
  signal?: CancelSignal | undefined;
}

/** Something that answers model requests in-process (the simulated model). */
export type InProcessUpstream = (send: UpstreamSend) => Promise<UpstreamReply>;

/** Sends requests to upstreams over pooled keep-alive connections. */
export interface UpstreamClient {
  send(options: UpstreamSend): Promise<UpstreamReply>;
  close(): Promise<void>;
}

/** Options of `createUpstreamClient`. */
export interface UpstreamClientOptions {
  upstreams: readonly UpstreamConfig[];
  environment?: NodeJS.ProcessEnv;
  simulated?: InProcessUpstream;
}

/**
 * Upstream HTTP client on undici pools: one pool per upstream with keep-alive connections reused across
 * requests, per-upstream header/body timeouts, and a DNS lookup that re-checks resolved addresses
 * against the SSRF rules at connect time.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const environment = options.environment ?? process.env;
  const prepared = new Map<string, PreparedUpstream>();
  const pools = new Map<string, Pool>();
  for (const upstream of options.upstreams) {
    if (upstream.provider === 'simulated') continue;
    const ready = prepareUpstream(upstream, environment);
    prepared.set(upstream.name, ready);
    const hostname = new URL(ready.origin).hostname.replace(/^\[|\]$/g, '');
    const connect =
      isIP(hostname) === 0
        ? { lookup: createSafeLookup({ allowPrivateNetwork: upstream.allowPrivateNetwork }) }
        : {};
    pools.set(
      upstream.name,
      new Pool(ready.origin, {
        connections: upstream.connections,
        keepAliveTimeout: 30_000,
        headersTimeout: upstream.timeoutMs,
        bodyTimeout: upstream.timeoutMs,
        connect: connect as never,
      }),
    );
  }
  return {
    async send(send: UpstreamSend): Promise<UpstreamReply> {
      const { upstream } = send.target;
      if (upstream.provider === 'simulated') {
        if (!options.simulated) throw new Error('simulated upstream is not available');
        return options.simulated(send);
      }
      const ready = prepared.get(upstream.name) as PreparedUpstream;
      const pool = pools.get(upstream.name) as Pool;
      const request = providerRequest({ upstream: ready, api: send.api, model: send.target.model });
      copyAllowedRequestHeaders(send.callerHeaders, request.headers);
      request.headers['x-request-id'] = send.requestId;
      if (send.stream) request.headers.accept = 'text/event-stream';
      return new Promise((resolve, reject) => {
        const handler = createReplyHandler({ resolve, reject, signal: send.signal });
        try {
          pool.dispatch(
            { method: 'POST', path: request.path, headers: request.headers, body: send.body },
            handler,
          );
        } catch (error) {
          handler.onError(error as Error);
        }
      });
    },
    async close(): Promise<void> {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

/**
 * An undici dispatch handler that resolves with the status, headers and a `PushBody` as soon as the
 * headers arrive (1xx informational responses are skipped). Errors before the headers reject; later
 * ones (reset, body timeout) reach the body's `error` listeners. An aborted `signal` aborts the request.
 * Used instead of undici's `request()`, whose per-response `Readable` and async resource cost more than
 * the gateway needs (see `PushBody`).
 */
function createReplyHandler(options: {
  resolve: (reply: UpstreamReply) => void;
  reject: (error: Error) => void;
  signal: CancelSignal | undefined;
}): Dispatcher.DispatchHandler & { onError(error: Error): void } {
  const { signal } = options;
  let abortRequest: ((reason: Error) => void) | undefined;
  let body: PushBody | undefined;
  let settled = false;
  const onAbort = (): void => {
    const reason = (signal?.reason as Error | undefined) ?? new errors.RequestAbortedError();
    if (body !== undefined) body.fail(reason);
    abortRequest?.(reason);
  };
  if (signal !== undefined && !signal.aborted) signal.addEventListener('abort', onAbort, { once: true });
  const done = (): void => {
    settled = true;
    signal?.removeEventListener('abort', onAbort);
  };
  return {
    onConnect(abort) {
      if (signal?.aborted) {
        abort((signal.reason as Error | undefined) ?? new errors.RequestAbortedError());
        return;
      }
      abortRequest = abort;
    },
    onHeaders(statusCode, rawHeaders, resume) {
      if (statusCode < 200) return true;
      body = new PushBody({
        resumeUpstream: resume,
        abortUpstream: (reason) => abortRequest?.(reason),
      });
      options.resolve({
        statusCode,
        headers: util.parseHeaders(rawHeaders) as UpstreamReply['headers'],
        body,
      });
      return true;
    },
    onData(chunk) {
      return body === undefined ? true : body.push(chunk);
    },
    onComplete() {
      done();
      body?.complete();
    },
    onError(error) {
      if (settled) return;
      done();
      if (body === undefined) options.reject(error);
      else body.fail(error);
    },
  };
}
