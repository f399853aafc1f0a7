import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lease } from '../store/limiter.js';
import type { FindingSummary } from './guard/findings-summary.js';

/** Everything the gateway records about one request while it is handled (for audit, metrics, logs). */
export interface RequestState {
  request: IncomingMessage;
  response: ServerResponse;
  requestId: string;
  route: string;
  started: number;
  keyId: string | null;
  model: string | null;
  upstream: string | null;
  streamed: boolean;
  inputAction: string | null;
  inputFindings: FindingSummary[];
  outputAction: string | null;
  outputFindings: FindingSummary[];
  guardMs: number;
  tokens: { input: number; output: number } | null;
  errorCode: string | null;
  status: number;
  bypasses: { family?: string; reason: string }[];
  lease: Lease | null;
  prompt: string | undefined;
  /** Request content for the audit log (redacted view, or full original when configured). */
  payload: { redacted?: unknown; full?: unknown } | undefined;
}

/** A fresh state for a request. */
export function createRequestState(options: {
  request: IncomingMessage;
  response: ServerResponse;
  requestId: string;
  route: string;
  started: number;
}): RequestState {
  return {
    request: options.request,
    response: options.response,
    requestId: options.requestId,
    route: options.route,
    started: options.started,
    keyId: null,
    model: null,
    upstream: null,
    streamed: false,
    inputAction: null,
    inputFindings: [],
    outputAction: null,
    outputFindings: [],
    guardMs: 0,
    tokens: null,
    errorCode: null,
    status: 0,
    bypasses: [],
    lease: null,
    prompt: undefined,
    payload: undefined,
  };
}
