import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import type { UpstreamConfig } from '../config/gateway-config-schema.js';
import { copyAllowedRequestHeaders } from '../header-allowlist.js';
import { type PreparedUpstream, prepareUpstream, providerRequest } from '../providers/provider-request.js';
import { createSafeLookup } from '../ssrf.js';
import type { ApiKind, RouteTarget } from './router.js';

/** An upstream's answer: status, headers and a readable body. */
export interface UpstreamReply {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
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
  signal?: AbortSignal | undefined;
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
      const response = await pool.request({
        method: 'POST',
        path: request.path,
        headers: request.headers,
        body: send.body,
        signal: send.signal,
      });
      return {
        statusCode: response.statusCode,
        headers: response.headers as UpstreamReply['headers'],
        body: response.body as unknown as Readable,
      };
    },
    async close(): Promise<void> {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
