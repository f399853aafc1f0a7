import type { HandledMembers } from './rewrite-unknown-value.js';

// The members around an answer (its id, model, fingerprint, echoed settings, usage, any member a provider
// adds) reach the caller like the answer itself, so a compromised upstream could put a key, the system
// prompt or an exfiltration link there. These specs name what the code for each API handles itself and
// the documented values that carry nothing to check; `rewriteUnknownValue` walks every other member. An
// id or model name is random or free-form, so it is checked like text; `ResponseGuard.wholeText`
// remembers a short clean text per response, so an id repeated in every event is checked once.

/** Chat answer and chunk members (OpenAI API reference, "The chat completion object"): `created` is a time stamp. */
const CHAT_TOP: HandledMembers = { created: 'number', service_tier: 'word' };

/**
 * A whole chat completion: the messages are checked by `guardChatMessage`; log probabilities are dropped
 * when a redaction changed the answer (see `guardChat`). Every other member of the answer and of each
 * choice (`id`, `model`, `system_fingerprint`, `usage`, a member added later) is walked.
 */
export const CHAT_ANSWER_MEMBERS: HandledMembers = {
  ...CHAT_TOP,
  choices: { message: 'skip', logprobs: 'skip', index: 'number' },
};

/**
 * A chat completion chunk ("The chat completion chunk object"): deltas are streamed through guarded
 * channels, log probabilities are dropped outside `audit` mode, and `obfuscation` (random padding the
 * upstream adds when asked, `stream_options.include_obfuscation`) is dropped outside `audit` mode, as the
 * gateway releases text in pieces of its own.
 */
export const CHAT_CHUNK_MEMBERS: HandledMembers = {
  ...CHAT_TOP,
  obfuscation: 'skip',
  choices: { delta: 'skip', logprobs: 'skip', index: 'number' },
};

/**
 * A Responses object (OpenAI API reference, "The response object"), whole or carried by a stream event:
 * its items are checked by the item code, `instructions` echo the request's own text (placeholders
 * restored, see `restoreEchoedInstructions`); the settings documented as lowercase words pass as plain
 * words. Everything else (`id`, `model`, `metadata`, `user`, `error`, the echoed `tools`, `prompt`, a
 * member added later) is walked.
 */
export const RESPONSE_OBJECT_MEMBERS: HandledMembers = {
  output: 'skip',
  instructions: 'skip',
  created_at: 'number',
  completed_at: 'number',
  service_tier: 'word',
  tool_choice: 'word',
  truncation: 'word',
  prompt_cache_retention: 'word',
  reasoning: { effort: 'word', summary: 'word' },
  text: { verbosity: 'word' },
};

/** The response of a stream's snapshot or terminal event, whose `error` the stream code has checked. */
export const STREAMED_RESPONSE_MEMBERS: HandledMembers = { ...RESPONSE_OBJECT_MEMBERS, error: 'skip' };

/**
 * A whole Anthropic message (Messages API, "Messages"): its content blocks are checked by the block code;
 * `id`, `model`, `stop_sequence` (text the caller chose, repeated by the upstream), `container`, `usage`
 * and any member added later are walked. A stream's `message_start` is walked whole.
 */
export const ANTHROPIC_MESSAGE_MEMBERS: HandledMembers = {
  content: 'skip',
  usage: { service_tier: 'word' },
};

/**
 * An embeddings answer (OpenAI API reference, "The embedding object"): the vectors (numbers, or base64
 * text with `encoding_format: "base64"`) carry no text the model wrote and are left as sent; `model`,
 * `usage` and any member added later are walked.
 */
export const EMBEDDINGS_MEMBERS: HandledMembers = { data: { embedding: 'skip', index: 'number' } };
