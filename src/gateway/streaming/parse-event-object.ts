/**
 * Parses the JSON data of a streamed event, which every supported API defines as an object. Anything
 * else (a bare string, a number, an array, `null`) throws like malformed JSON, so the stream ends with
 * an upstream error instead of passing text the transformers would not look into.
 */
export function parseEventObject(data: string): Record<string, unknown> {
  const value: unknown = JSON.parse(data);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyntaxError('the event data is not a JSON object');
  }
  return value as Record<string, unknown>;
}
