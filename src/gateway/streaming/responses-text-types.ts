/**
 * The kinds of model-written text in an OpenAI Responses answer: the slot (guard channel key) each text
 * goes through, the delta and `.done` events that stream it, and the rewriting of one text member.
 */
export type ResponseEvent = Record<string, unknown> & { type?: string };
export type OutputItem = Record<string, unknown> & { type?: string; id?: string };
export type TextKind = 'text' | 'json';

/**
 * The texts a model writes in a Responses answer (API reference, "Responses object" output items and
 * "Streaming events"; event names as in the `openai` SDK 6.x type definitions), each with the delta
 * event that streams it and the index member that locates it: message `output_text` and `refusal`
 * content parts, reasoning `summary_text` parts and `reasoning_text` content, function-call arguments
 * (JSON), custom-tool-call input (free text), MCP call arguments (JSON), code-interpreter code and audio
 * transcripts. `whole` texts are never streamed as deltas (tool outputs, shell commands, citation titles):
 * they are checked at once wherever they appear.
 */
export const TEXT_TYPES = {
  text: { prefix: '', kind: 'text', delta: 'response.output_text.delta', index: 'content_index' },
  refusal: { prefix: 'refusal:', kind: 'text', delta: 'response.refusal.delta', index: 'content_index' },
  summary: {
    prefix: 'summary:',
    kind: 'text',
    delta: 'response.reasoning_summary_text.delta',
    index: 'summary_index',
  },
  reasoning: {
    prefix: 'reasoning:',
    kind: 'text',
    delta: 'response.reasoning_text.delta',
    index: 'content_index',
  },
  args: { prefix: 'args', kind: 'json', delta: 'response.function_call_arguments.delta', index: undefined },
  input: { prefix: 'input', kind: 'text', delta: 'response.custom_tool_call_input.delta', index: undefined },
  mcpArgs: { prefix: 'mcp_args', kind: 'json', delta: 'response.mcp_call_arguments.delta', index: undefined },
  code: {
    prefix: 'code',
    kind: 'text',
    delta: 'response.code_interpreter_call_code.delta',
    index: undefined,
  },
  transcript: {
    prefix: 'transcript',
    kind: 'text',
    delta: 'response.audio.transcript.delta',
    index: undefined,
  },
  whole: { prefix: '@', kind: 'text', delta: undefined, index: undefined },
} as const;
export type TextType = keyof typeof TEXT_TYPES;
/** Text types streamed by delta events. */
export type StreamedType = Exclude<TextType, 'whole'>;

/** One model-written text: its guard channel key and how it is streamed. */
export interface TextSlot {
  key: string;
  type: TextType;
  kind: TextKind;
  index: number;
}

/** The slot of a streamed text of an item (and part, for indexed texts). */
export function slotOf(type: StreamedType, itemId: unknown, index: unknown): TextSlot {
  const spec = TEXT_TYPES[type];
  const at = typeof index === 'number' ? index : 0;
  const item = String(itemId ?? '');
  // Indexed texts (content and summary parts) get one channel per part; other texts one per item.
  const key = spec.index === undefined ? `${item}:${spec.prefix}` : `${item}:${spec.prefix}${at}`;
  return { key, type, kind: spec.kind, index: at };
}

/** The slot of a text that is never streamed: `member` names it within its item (`output`, `command.2`). */
export function wholeSlot(itemId: unknown, member: string, kind: TextKind): TextSlot {
  return { key: `${String(itemId ?? '')}:@${member}`, type: 'whole', kind, index: 0 };
}

/**
 * Earlier revisions of the API reference named some events differently (`response.mcp_call.arguments_delta`,
 * `response.mcp_call.arguments.delta`, `response.code_interpreter_call.code.delta`, and their `.done`
 * forms); upstreams built against them still send those names, so they are guarded the same way.
 */
const DELTA_ALIASES: readonly [string, StreamedType][] = [
  ['response.mcp_call.arguments_delta', 'mcpArgs'],
  ['response.mcp_call.arguments.delta', 'mcpArgs'],
  ['response.code_interpreter_call.code.delta', 'code'],
];

/** Delta events and the text they stream. Maps, so an event type like `constructor` finds nothing. */
export const DELTA_TYPES = new Map<string, StreamedType>([
  ...(Object.keys(TEXT_TYPES) as TextType[]).flatMap((type): [string, StreamedType][] => {
    const delta = TEXT_TYPES[type].delta;
    return delta === undefined || type === 'whole' ? [] : [[delta, type]];
  }),
  ...DELTA_ALIASES,
]);

/**
 * `.done` events, the text they end and the member holding the whole text
 * (`response.audio.transcript.done` carries none: it only ends the transcript).
 */
export const DONE_TYPES = new Map<string, { type: StreamedType; field: string }>([
  ['response.output_text.done', { type: 'text', field: 'text' }],
  ['response.refusal.done', { type: 'refusal', field: 'refusal' }],
  ['response.reasoning_summary_text.done', { type: 'summary', field: 'text' }],
  ['response.reasoning_text.done', { type: 'reasoning', field: 'text' }],
  ['response.function_call_arguments.done', { type: 'args', field: 'arguments' }],
  ['response.custom_tool_call_input.done', { type: 'input', field: 'input' }],
  ['response.mcp_call_arguments.done', { type: 'mcpArgs', field: 'arguments' }],
  ['response.mcp_call.arguments_done', { type: 'mcpArgs', field: 'arguments' }],
  ['response.mcp_call.arguments.done', { type: 'mcpArgs', field: 'arguments' }],
  ['response.code_interpreter_call_code.done', { type: 'code', field: 'code' }],
  ['response.code_interpreter_call.code.done', { type: 'code', field: 'code' }],
  ['response.audio.transcript.done', { type: 'transcript', field: 'transcript' }],
]);

/** The index member of an event for a text type (undefined for texts streamed one per item). */
export function indexOf(type: StreamedType, data: ResponseEvent): unknown {
  const member = TEXT_TYPES[type].index;
  return member === undefined ? undefined : data[member];
}

/** Rewrites a text, or returns null when the response must stop. */
export type RewriteText = (slot: TextSlot, text: string) => string | null;

/**
 * Log probabilities (`logprobs` of output text, API reference "Responses object") spell the tokens of
 * the text as the upstream wrote it: once the guard changed the text (redacted, restored) they would
 * still spell what was redacted, so they are emptied.
 */
export function dropLogprobs(record: Record<string, unknown>): void {
  if (Array.isArray(record.logprobs) && record.logprobs.length > 0) record.logprobs = [];
}

/** Passes a string member of a record through `rewrite` in place; false on a violation. */
export function rewriteMember(options: {
  record: Record<string, unknown>;
  field: string;
  slot: TextSlot;
  rewrite: RewriteText;
}): boolean {
  const value = options.record[options.field];
  if (typeof value !== 'string') return true;
  const text = options.rewrite(options.slot, value);
  if (text === null) return false;
  options.record[options.field] = text;
  if (text !== value) dropLogprobs(options.record);
  return true;
}

/** The record a member holds, or undefined when it is not an object. */
export function recordAt(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
