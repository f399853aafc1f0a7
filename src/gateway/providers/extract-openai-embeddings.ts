import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from '../http/api-error.js';
import type { ExtractedRequest, TextSlot } from './text-slot.js';

/**
 * Extracts the inputs of an OpenAI `/v1/embeddings` request. Inputs are judged as documents: embedded
 * text usually ends up in a retrieval store, where hidden instructions become indirect injection.
 * Token-id inputs cannot be checked and are refused (fail closed).
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
  return { model: body.model, stream: false, slots, tools: [] };
}
