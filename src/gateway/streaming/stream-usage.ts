import type { StreamTransformer } from './stream-transformer.js';

/** Token counts an upstream reported in a stream, when it did. */
export interface StreamUsage {
  input?: number;
  output?: number;
}

const USAGE_END = 'usage"';

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Wraps a stream transformer to note the token usage the upstream reports, so budgets are charged what
 * the provider counted: the last chunk of an OpenAI chat stream with `stream_options.include_usage`
 * (`usage.prompt_tokens` / `completion_tokens`), Anthropic's `message_start` (`message.usage`) and
 * `message_delta` (`usage`, cumulative), and the Responses API's terminal events (`response.usage`).
 * The latest report wins. Only events whose data mentions `usage"` are parsed again, so the deltas of a
 * stream cost one substring search each.
 */
export function tapStreamUsage(transformer: StreamTransformer): {
  transformer: StreamTransformer;
  usage: StreamUsage;
} {
  const usage: StreamUsage = {};
  function note(data: string): void {
    // `usage"`, not `"usage"`: a search starts at each occurrence of the pattern's first character, and
    // event JSON is full of quotes (five times slower per event, measured on chat chunks). Every event
    // with a `"usage"` member contains it; the few others that do are parsed and found without usage.
    if (!data.includes(USAGE_END)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return; // the transformer reports malformed events
    }
    if (parsed === null || typeof parsed !== 'object') return;
    const event = parsed as Record<string, { usage?: unknown } | null | undefined>;
    const reported = event.usage ?? event.message?.usage ?? event.response?.usage;
    if (reported === null || typeof reported !== 'object') return;
    const counts = reported as Record<string, unknown>;
    const input = tokenCount(counts.prompt_tokens ?? counts.input_tokens);
    const output = tokenCount(counts.completion_tokens ?? counts.output_tokens);
    if (input !== undefined) usage.input = input;
    if (output !== undefined) usage.output = output;
  }
  return {
    usage,
    transformer: {
      onEvent(event) {
        note(event.data);
        return transformer.onEvent(event);
      },
      onEnd: () => transformer.onEnd(),
      closing: (reason) => transformer.closing(reason),
      get complete() {
        return transformer.complete;
      },
    },
  };
}
