import { AegisError, ERROR_CODES, type ErrorCode } from '../spec/errors.js';
import { type Bucket, refill, secondsUntil } from './token-bucket.js';
import type { TokenBudgetStore } from './token-budget-store.js';

/** Whose limits apply. An `ApiKeyRecord` fits; null or absent limits mean "unlimited". */
export interface LimitSubject {
  id: string;
  rpm?: number | null;
  tpm?: number | null;
  concurrency?: number | null;
  dailyTokens?: number | null;
}

/** A held concurrency slot. Call `release` exactly once when the response is finished (later calls do nothing). */
export interface Lease {
  /** Frees the slot and records the tokens really used (input + output); defaults to the estimate. */
  release(usage?: { tokens?: number }): void;
}

/** Which limit refused a request. */
export type LimitReason = 'rpm' | 'tpm' | 'concurrency' | 'daily-tokens';

/** A refusal as data: the gateway turns it into HTTP 429 with `Retry-After: retryAfter`. */
export interface LimitRejection {
  ok: false;
  reason: LimitReason;
  code: ErrorCode;
  /** Whole seconds after which a retry can succeed (≥ 1). */
  retryAfter: number;
  limit: number;
  message: string;
}

/** Outcome of `admit`. */
export type Admission = { ok: true; lease: Lease } | LimitRejection;

/** Current usage of one subject, for admin views and tests. */
export interface LimitUsage {
  inFlight: number;
  requestsAvailable: number | null;
  tokensAvailable: number | null;
  tokensToday: number;
}

/** Per-key request, token, concurrency and daily-budget limits. */
export interface Limiter {
  /** Checks every limit and, when all pass, takes a request slot and reserves `estimatedTokens`. */
  admit(subject: LimitSubject, options?: { estimatedTokens?: number }): Admission;
  usage(subject: LimitSubject): LimitUsage;
  /** Writes pending daily-budget usage to the store. */
  flush(): void;
  /** Flushes and stops the timer. */
  close(): void;
}

/** Options of `createLimiter`. */
export interface LimiterOptions {
  /** Persistent daily usage; without it the daily budget is kept in memory only. */
  budgetStore?: TokenBudgetStore;
  /** Milliseconds since epoch; injectable for tests. */
  clock?: () => number;
  /** How often pending budget usage is written. Default 1000 ms (the most a kill -9 can lose). */
  flushIntervalMs?: number;
  /** Called when a background flush fails (the usage is kept and retried). */
  onError?: (error: unknown) => void;
}

interface SubjectState {
  requests?: Bucket;
  tokens?: Bucket;
  inFlight: number;
  day: string;
  /** Tokens recorded today (persisted + pending). */
  usedToday: number;
  /** Tokens reserved by requests still in flight. */
  reservedToday: number;
}

function isLimit(value: number | null | undefined): value is number {
  return typeof value === 'number' && value > 0;
}

const DAY_MS = 86_400_000;
// The last day computed: the limiter asks twice per request, nearly always for the same day.
let cachedDayStart = 0;
let cachedDay = '';

function utcDay(time: number): string {
  // JavaScript time has no leap seconds: every UTC day is exactly DAY_MS long.
  if (time >= cachedDayStart && time < cachedDayStart + DAY_MS && cachedDay !== '') return cachedDay;
  cachedDay = new Date(time).toISOString().slice(0, 10);
  cachedDayStart = time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
  return cachedDay;
}

function secondsToUtcMidnight(time: number): number {
  const next = new Date(time);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - time) / 1000));
}

function reject(reason: LimitReason, limit: number, retryAfter: number): LimitRejection {
  const codes: Record<LimitReason, ErrorCode> = {
    rpm: ERROR_CODES.RATE_LIMITED,
    tpm: ERROR_CODES.RATE_LIMITED,
    concurrency: ERROR_CODES.CONCURRENCY_LIMITED,
    'daily-tokens': ERROR_CODES.TOKEN_BUDGET_EXCEEDED,
  };
  const messages: Record<LimitReason, string> = {
    rpm: `request rate limit of ${limit} per minute reached`,
    tpm: `token rate limit of ${limit} per minute reached`,
    concurrency: `concurrency limit of ${limit} requests in flight reached`,
    'daily-tokens': `daily token budget of ${limit} reached`,
  };
  return { ok: false, reason, code: codes[reason], retryAfter, limit, message: messages[reason] };
}

/** The `AegisError` for a rejection (details carry `retryAfter` and `reason`). */
export function limitError(rejection: LimitRejection): AegisError {
  return new AegisError(rejection.code, rejection.message, {
    details: { reason: rejection.reason, retryAfter: rejection.retryAfter, limit: rejection.limit },
  });
}

/** Creates the in-memory limiter; the daily budget is persisted through `budgetStore` when given. */
export function createLimiter(options: LimiterOptions = {}): Limiter {
  const clock = options.clock ?? Date.now;
  const store = options.budgetStore;
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const states = new Map<string, SubjectState>();
  // Pending usage per "keyId day", written in one transaction per flush.
  const pending = new Map<string, { keyId: string; day: string; tokens: number }>();
  let timer: NodeJS.Timeout | undefined;

  function stateOf(subject: LimitSubject, now: number): SubjectState {
    const day = utcDay(now);
    let state = states.get(subject.id);
    if (state === undefined) {
      state = { inFlight: 0, day, usedToday: store?.used(subject.id, day) ?? 0, reservedToday: 0 };
      states.set(subject.id, state);
    } else if (state.day !== day) {
      state.day = day;
      state.usedToday =
        (store?.used(subject.id, day) ?? 0) + (pending.get(`${subject.id} ${day}`)?.tokens ?? 0);
    }
    return state;
  }

  function bucket(state: SubjectState, field: 'requests' | 'tokens', capacity: number, now: number): Bucket {
    let value = state[field];
    if (value === undefined) {
      value = { tokens: capacity, updatedAt: now };
      state[field] = value;
    }
    refill(value, capacity, now);
    return value;
  }

  function recordUsage(subject: LimitSubject, tokens: number): void {
    if (tokens <= 0) return;
    const now = clock();
    const state = stateOf(subject, now);
    state.usedToday += tokens;
    if (store === undefined) return;
    const slot = `${subject.id} ${state.day}`;
    const entry = pending.get(slot);
    if (entry === undefined) pending.set(slot, { keyId: subject.id, day: state.day, tokens });
    else entry.tokens += tokens;
    if (timer === undefined) timer = setTimeout(backgroundFlush, flushIntervalMs);
  }

  function backgroundFlush(): void {
    try {
      flush();
    } catch (error) {
      options.onError?.(error);
      if (timer === undefined && pending.size > 0) timer = setTimeout(backgroundFlush, flushIntervalMs);
    }
  }

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (store === undefined || pending.size === 0) return;
    const deltas = [...pending.values()];
    pending.clear();
    let totals: number[];
    try {
      totals = store.addMany(deltas);
    } catch (cause) {
      for (const delta of deltas) {
        const slot = `${delta.keyId} ${delta.day}`;
        const entry = pending.get(slot);
        if (entry === undefined) pending.set(slot, { ...delta });
        else entry.tokens += delta.tokens;
      }
      throw new AegisError(ERROR_CODES.STORE_FAILED, 'cannot record daily token usage', { cause });
    }
    // Totals include usage by other processes sharing the database.
    deltas.forEach((delta, index) => {
      const state = states.get(delta.keyId);
      const total = totals[index];
      if (state !== undefined && state.day === delta.day && total !== undefined) {
        state.usedToday = Math.max(state.usedToday, total);
      }
    });
  }

  return {
    admit(subject, admitOptions = {}) {
      const now = clock();
      const estimate = Math.max(0, Math.ceil(admitOptions.estimatedTokens ?? 0));
      const state = stateOf(subject, now);
      if (isLimit(subject.dailyTokens)) {
        if (state.usedToday + state.reservedToday + estimate > subject.dailyTokens) {
          return reject('daily-tokens', subject.dailyTokens, secondsToUtcMidnight(now));
        }
      }
      if (isLimit(subject.concurrency) && state.inFlight >= subject.concurrency) {
        return reject('concurrency', subject.concurrency, 1);
      }
      const requests = isLimit(subject.rpm) ? bucket(state, 'requests', subject.rpm, now) : undefined;
      if (requests !== undefined && isLimit(subject.rpm) && requests.tokens < 1) {
        return reject('rpm', subject.rpm, secondsUntil(requests, subject.rpm, 1));
      }
      const tokens = isLimit(subject.tpm) ? bucket(state, 'tokens', subject.tpm, now) : undefined;
      if (tokens !== undefined && isLimit(subject.tpm)) {
        // A request larger than the whole bucket may pass once the bucket is full (it then runs into debt).
        const needed = Math.min(Math.max(estimate, 1), subject.tpm);
        if (tokens.tokens < needed)
          return reject('tpm', subject.tpm, secondsUntil(tokens, subject.tpm, needed));
      }
      if (requests !== undefined) requests.tokens -= 1;
      if (tokens !== undefined) tokens.tokens -= estimate;
      state.inFlight += 1;
      state.reservedToday += estimate;
      let released = false;
      return {
        ok: true,
        lease: {
          release(usage = {}) {
            if (released) return;
            released = true;
            state.inFlight -= 1;
            state.reservedToday -= estimate;
            const used = Math.max(0, Math.ceil(usage.tokens ?? estimate));
            if (tokens !== undefined && isLimit(subject.tpm)) {
              refill(tokens, subject.tpm, clock());
              // Settle the reservation: charge overruns, refund what was not used.
              tokens.tokens = Math.min(subject.tpm, tokens.tokens - (used - estimate));
            }
            recordUsage(subject, used);
          },
        },
      };
    },

    usage(subject) {
      const now = clock();
      const state = stateOf(subject, now);
      return {
        inFlight: state.inFlight,
        requestsAvailable: isLimit(subject.rpm)
          ? Math.floor(bucket(state, 'requests', subject.rpm, now).tokens)
          : null,
        tokensAvailable: isLimit(subject.tpm)
          ? Math.floor(bucket(state, 'tokens', subject.tpm, now).tokens)
          : null,
        tokensToday: state.usedToday,
      };
    },

    flush,

    close() {
      flush();
    },
  };
}
