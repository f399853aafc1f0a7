import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from '../http/api-error.js';
import { pushOtherBodyMembers } from './extract-openai-chat.js';
import type { ExtractedRequest, TextSlot } from './text-slot.js';

/**
 * Body members of an embeddings request that are settings or metadata. Any other member (a provider's
 * extension: an instruction prefix, a query) has every string in it checked as a document, like `input`.
 */
const EMBEDDINGS_SETTINGS: ReadonlySet<string> = new Set([
  'model',
  'input',
  'dimensions',
  'encoding_format',
  'user',
]);

/**
 * Extracts the inputs of an OpenAI `/v1/embeddings` request. Inputs are judged as documents: embedded
 * text usually ends up in a retrieval store, where hidden instructions become indirect injection.
 * Token-id inputs (`[1, 2, 3]` or `[[1, 2], [3]]`) cannot be checked without the model's own tokenizer
 * and are refused (fail closed).
 */
export function extractOpenAIEmbeddings(body: Record<string, unknown>): ExtractedRequest {
  if (typeof body.model !== 'string' || body.model.length === 0) {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`model` must be a non-empty string');
  }
  const slots: TextSlot[] = [];
  if (typeof body.input === 'string') {
    slots.push({ container: body, key: 'input', role: 'document' });
  } else if (Array.isArray(body.input) && body.input.length > 0) {
    body.input.forEach((value, index) => {
      if (typeof value !== 'string') {
        throw gatewayError(
          ERROR_CODES.BAD_REQUEST,
          'embedding inputs must be strings (token ids cannot be checked)',
        );
      }
      slots.push({ container: body.input as unknown[], key: index, role: 'document' });
    });
  } else {
    throw gatewayError(ERROR_CODES.BAD_REQUEST, '`input` must be a string or a non-empty array of strings');
  }
  pushOtherBodyMembers({ body, settings: EMBEDDINGS_SETTINGS, role: 'document', slots });
  return { model: body.model, stream: false, slots, tools: [] };
}
