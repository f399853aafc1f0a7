import type { ResponseShape } from './guard/guard-whole-response.js';
import { extractAnthropicMessages } from './providers/extract-anthropic-messages.js';
import { extractOpenAIChat } from './providers/extract-openai-chat.js';
import { extractOpenAIEmbeddings } from './providers/extract-openai-embeddings.js';
import { extractOpenAIResponses } from './providers/extract-openai-responses.js';
import type { ExtractedRequest } from './providers/text-slot.js';
import type { ApiKind } from './routing/router.js';
import { createAnthropicStream } from './streaming/anthropic-stream.js';
import { createOpenAIChatStream } from './streaming/openai-chat-stream.js';
import { createOpenAIResponsesStream } from './streaming/openai-responses-stream.js';
import type { CreateStreamTransformer } from './streaming/stream-transformer.js';

/** What the gateway needs to know about one model route. */
export interface ModelRoute {
  api: ApiKind;
  shape: ResponseShape;
  extract(body: Record<string, unknown>): ExtractedRequest;
  stream: CreateStreamTransformer;
}

/** The model routes, by path. */
export const MODEL_ROUTES: ReadonlyMap<string, ModelRoute> = new Map<string, ModelRoute>([
  [
    '/v1/chat/completions',
    { api: 'chat', shape: 'chat', extract: extractOpenAIChat, stream: createOpenAIChatStream },
  ],
  [
    '/v1/responses',
    {
      api: 'responses',
      shape: 'responses',
      extract: extractOpenAIResponses,
      stream: createOpenAIResponsesStream,
    },
  ],
  [
    '/v1/embeddings',
    {
      api: 'embeddings',
      shape: 'embeddings',
      extract: extractOpenAIEmbeddings,
      stream: createOpenAIChatStream,
    },
  ],
  [
    '/v1/messages',
    {
      api: 'anthropic',
      shape: 'anthropic',
      extract: extractAnthropicMessages,
      stream: createAnthropicStream,
    },
  ],
]);
