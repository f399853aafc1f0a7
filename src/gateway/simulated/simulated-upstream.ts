import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ApiKind } from '../routing/router.js';
import type { UpstreamReply, UpstreamSend } from '../routing/upstream-client.js';
import { SIMULATED_MODEL, simulateAnswer, simulatedEmbedding, simulatedId } from './simulated-answer.js';
import { anthropicEvents, anthropicWhole } from './simulated-anthropic-format.js';
import { chatEvents, chatWhole } from './simulated-chat-format.js';
import { responseObject, responsesEvents } from './simulated-responses-format.js';
import { requestTexts } from './simulated-text.js';

function toolNames(body: Record<string, unknown>): string[] {
  if (!Array.isArray(body.tools)) return [];
  return body.tools
    .map((tool) => {
      const record = tool as { name?: unknown; function?: { name?: unknown } } | null;
      return record?.function?.name ?? record?.name;
    })
    .filter((name): name is string => typeof name === 'string');
}

async function* paced(events: Iterable<string>): AsyncGenerator<Buffer> {
  for (const text of events) {
    yield Buffer.from(text);
    // Yield to the event loop between events, as a network stream would.
    await nextTurn();
  }
}

const JSON_HEADERS = { 'content-type': 'application/json', 'x-aegis-simulated': 'true' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'x-aegis-simulated': 'true' };

function whole(value: unknown): UpstreamReply {
  return {
    statusCode: 200,
    headers: JSON_HEADERS,
    body: Readable.from([Buffer.from(JSON.stringify(value))]),
  };
}

/**
 * The built-in simulated model as an in-process upstream: answers every API the gateway serves, streamed
 * or not, in the providers' wire formats, so the whole gateway pipeline runs offline.
 */
export async function simulatedUpstream(send: UpstreamSend): Promise<UpstreamReply> {
  const body = send.parsed;
  const api: ApiKind = send.api;
  if (api === 'embeddings') {
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    return whole({
      object: 'list',
      data: inputs.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: simulatedEmbedding(text),
      })),
      model: SIMULATED_MODEL,
      usage: { prompt_tokens: inputs.join(' ').length, total_tokens: inputs.join(' ').length },
    });
  }
  const texts = requestTexts(body);
  const answer = simulateAnswer({
    userText: texts.userText,
    inputText: texts.inputText,
    tools: toolNames(body),
  });
  const prefix = api === 'chat' ? 'chatcmpl-' : api === 'responses' ? 'resp_' : 'msg_';
  const id = simulatedId(prefix, texts.inputText);
  if (!send.stream) {
    return whole(
      api === 'chat'
        ? chatWhole(answer, id)
        : api === 'responses'
          ? responseObject(answer, id, 'completed')
          : anthropicWhole(answer, id),
    );
  }
  const events =
    api === 'chat'
      ? chatEvents(answer, id)
      : api === 'responses'
        ? responsesEvents(answer, id)
        : anthropicEvents(answer, id);
  return { statusCode: 200, headers: SSE_HEADERS, body: Readable.from(paced(events)) };
}
