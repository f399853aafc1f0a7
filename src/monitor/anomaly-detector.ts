import { fingerprintPrompt, isNearDuplicate, type PromptFingerprint } from './prompt-fingerprint.js';
import { type AlertSink, createWebhookSink } from './webhook-sink.js';

/** Kinds of anomaly. */
export type AnomalyType = 'blocked-rise' | 'rate-spike' | 'extraction';

/** One alert, as posted to the webhook (JSON). Never contains prompt text. */
export interface AnomalyAlert {
  type: AnomalyType;
  keyId: string;
  time: string;
  message: string;
  /** What was seen in the current window (requests, blocked requests or near-duplicate prompts). */
  observed: number;
  /** The key's baseline for the same quantity. */
  baseline: number;
  /** The value `observed` had to reach. */
  threshold: number;
  windowMs: number;
}

/** One finished request, as the gateway reports it. */
export interface AnomalyObservation {
  keyId: string;
  /** True when the guard blocked the request or its response. */
  blocked: boolean;
  /** The caller's prompt (last user text); only a MinHash fingerprint is kept. */
  prompt?: string;
  /** Milliseconds since epoch; default: the detector's clock. */
  time?: number;
}

/** Tuning of `createAnomalyDetector`; every field has a default. */
export interface AnomalyDetectorOptions {
  /** Where alerts are posted; or give `webhookUrl`. Without either, alerts are only returned/passed to `onAlert`. */
  sink?: AlertSink;
  webhookUrl?: string;
  /** Called for every alert (for logs and metrics). */
  onAlert?: (alert: AnomalyAlert) => void;
  clock?: () => number;
  /** Length of a counting window. Default 60 000 ms. */
  bucketMs?: number;
  /** EWMA weight of the newest window. Default 0.3. */
  alpha?: number;
  /** Windows of history needed before a rate spike can be judged. Default 3. */
  warmupBuckets?: number;
  /** A window is a spike when requests > rateFactor × baseline … Default 3. */
  rateFactor?: number;
  /** … and at least this many requests. Default 30. */
  minRequests?: number;
  /** Blocked share must exceed blockedFactor × baseline share … Default 3. */
  blockedFactor?: number;
  /** … and at least this share … Default 0.25. */
  blockedMinShare?: number;
  /** … with at least this many blocked requests in the window. Default 5. */
  minBlocked?: number;
  /** Window for near-duplicate prompts. Default 600 000 ms. */
  extractionWindowMs?: number;
  /** Estimated Jaccard similarity at which two prompts are near-duplicates. Default 0.5. */
  nearDuplicateSimilarity?: number;
  /** Distinct near-duplicate prompts in the window that raise an alert. Default 20. */
  minNearDuplicates?: number;
  /** Fingerprints remembered per key. Default 128. */
  maxFingerprints?: number;
  /** The same alert for the same key is not repeated within this time. Default 300 000 ms. */
  cooldownMs?: number;
  /** Keys tracked at once (least recently seen are forgotten). Default 5000. */
  maxKeys?: number;
}

/** Per-key anomaly detection. Deterministic for a given clock and input sequence. */
export interface AnomalyDetector {
  /** Records one request and returns the alerts it raised (already queued to the sink). */
  observe(observation: AnomalyObservation): AnomalyAlert[];
  /** Waits until queued alerts are delivered. */
  drain(): Promise<void>;
}

interface KeyState {
  bucketStart: number;
  count: number;
  blocked: number;
  bucketsSeen: number;
  rateBaseline: number;
  blockedShareBaseline: number;
  prints: { time: number; print: PromptFingerprint }[];
  lastAlert: Partial<Record<AnomalyType, number>>;
}

/** Creates the detector: rate spikes (EWMA), rises of blocked requests, extraction-like probing. */
export function createAnomalyDetector(options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const clock = options.clock ?? Date.now;
  const sink =
    options.sink ?? (options.webhookUrl ? createWebhookSink({ url: options.webhookUrl }) : undefined);
  const bucketMs = options.bucketMs ?? 60_000;
  const alpha = options.alpha ?? 0.3;
  const warmupBuckets = options.warmupBuckets ?? 3;
  const rateFactor = options.rateFactor ?? 3;
  const minRequests = options.minRequests ?? 30;
  const blockedFactor = options.blockedFactor ?? 3;
  const blockedMinShare = options.blockedMinShare ?? 0.25;
  const minBlocked = options.minBlocked ?? 5;
  const extractionWindowMs = options.extractionWindowMs ?? 600_000;
  const nearDuplicate = options.nearDuplicateSimilarity ?? 0.5;
  const minNearDuplicates = options.minNearDuplicates ?? 20;
  const maxFingerprints = options.maxFingerprints ?? 128;
  const cooldownMs = options.cooldownMs ?? 300_000;
  const maxKeys = options.maxKeys ?? 5000;
  const states = new Map<string, KeyState>();
  /** The state inserted last into `states` (the most recently seen key). */
  let lastState: KeyState | undefined;

  function stateOf(keyId: string, now: number): KeyState {
    let state = states.get(keyId);
    if (state === undefined) {
      state = {
        bucketStart: now - (now % bucketMs),
        count: 0,
        blocked: 0,
        bucketsSeen: 0,
        rateBaseline: 0,
        blockedShareBaseline: 0,
        prints: [],
        lastAlert: {},
      };
      if (states.size >= maxKeys) {
        const oldest = states.keys().next().value;
        if (oldest !== undefined) states.delete(oldest);
      }
    } else if (state === lastState) {
      // Already the most recently seen key (the usual case: one busy key): its place in the order holds.
      return state;
    } else {
      states.delete(keyId); // re-insert: Map order is least recently seen first
    }
    states.set(keyId, state);
    lastState = state;
    return state;
  }

  // Closes finished windows: the baseline moves towards each window's count; empty windows decay it.
  function roll(state: KeyState, now: number): void {
    if (now < state.bucketStart + bucketMs) return;
    const elapsed = Math.floor((now - state.bucketStart) / bucketMs);
    const first = state.bucketsSeen === 0;
    state.rateBaseline = first ? state.count : alpha * state.count + (1 - alpha) * state.rateBaseline;
    if (state.count > 0) {
      const share = state.blocked / state.count;
      state.blockedShareBaseline = first ? share : alpha * share + (1 - alpha) * state.blockedShareBaseline;
    }
    const empty = Math.min(elapsed - 1, 1000);
    state.rateBaseline *= (1 - alpha) ** empty;
    state.bucketsSeen += Math.min(elapsed, 1000);
    state.bucketStart += elapsed * bucketMs;
    state.count = 0;
    state.blocked = 0;
  }

  function raise(state: KeyState, alert: AnomalyAlert, now: number, alerts: AnomalyAlert[]): void {
    const last = state.lastAlert[alert.type];
    if (last !== undefined && now - last < cooldownMs) return;
    state.lastAlert[alert.type] = now;
    alerts.push(alert);
  }

  return {
    observe(observation) {
      const now = observation.time ?? clock();
      // Only alerts carry the time as text: built when the first one is raised, not per request.
      let timeText: string | undefined;
      const time = (): string => {
        timeText ??= new Date(now).toISOString();
        return timeText;
      };
      const { keyId } = observation;
      const state = stateOf(keyId, now);
      roll(state, now);
      state.count += 1;
      if (observation.blocked) state.blocked += 1;
      const alerts: AnomalyAlert[] = [];

      const rateThreshold = Math.max(minRequests, Math.ceil(rateFactor * state.rateBaseline) + 1);
      if (state.bucketsSeen >= warmupBuckets && state.count >= rateThreshold) {
        const baseline = Math.round(state.rateBaseline * 100) / 100;
        const message = `request rate spike: ${state.count} requests in the current window vs a baseline of ${baseline}`;
        raise(
          state,
          {
            type: 'rate-spike',
            keyId,
            time: time(),
            message,
            observed: state.count,
            baseline,
            threshold: rateThreshold,
            windowMs: bucketMs,
          },
          now,
          alerts,
        );
      }

      const shareThreshold = Math.max(blockedMinShare, blockedFactor * state.blockedShareBaseline);
      if (
        observation.blocked &&
        state.blocked >= minBlocked &&
        state.blocked / state.count >= shareThreshold
      ) {
        const baseline = Math.round(state.blockedShareBaseline * 1000) / 1000;
        const message = `blocked requests rose to ${state.blocked} of ${state.count} in the current window (baseline share ${baseline})`;
        raise(
          state,
          {
            type: 'blocked-rise',
            keyId,
            time: time(),
            message,
            observed: state.blocked,
            baseline,
            threshold: Math.max(minBlocked, Math.ceil(shareThreshold * state.count)),
            windowMs: bucketMs,
          },
          now,
          alerts,
        );
      }

      if (observation.prompt !== undefined && observation.prompt.length > 0) {
        const print = fingerprintPrompt(observation.prompt);
        while (state.prints.length > 0 && (state.prints[0]?.time ?? now) <= now - extractionWindowMs)
          state.prints.shift();
        let near = 0;
        // While this key's extraction alert cools down, `raise` would drop a new one whatever the count:
        // the comparisons (up to maxFingerprints per request) are skipped, the fingerprint still kept.
        const lastExtraction = state.lastAlert.extraction;
        const coolingDown = lastExtraction !== undefined && now - lastExtraction < cooldownMs;
        if (!coolingDown)
          for (const previous of state.prints) {
            if (previous.print.exact !== print.exact && isNearDuplicate(previous.print, print, nearDuplicate))
              near += 1;
          }
        state.prints.push({ time: now, print });
        if (state.prints.length > maxFingerprints) state.prints.shift();
        if (near + 1 >= minNearDuplicates) {
          const message = `extraction-like probing: ${near + 1} near-duplicate prompts within ${extractionWindowMs / 1000} s`;
          raise(
            state,
            {
              type: 'extraction',
              keyId,
              time: time(),
              message,
              observed: near + 1,
              baseline: 0,
              threshold: minNearDuplicates,
              windowMs: extractionWindowMs,
            },
            now,
            alerts,
          );
        }
      }

      for (const alert of alerts) {
        options.onAlert?.(alert);
        sink?.send(alert);
      }
      return alerts;
    },

    async drain() {
      await sink?.drain();
    },
  };
}
