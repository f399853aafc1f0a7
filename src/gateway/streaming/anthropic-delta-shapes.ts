/** A streamed delta's shape: its `type` and the member that holds its piece of text. */
export interface DeltaShape {
  type: string;
  member: string;
}

/**
 * The text deltas of an Anthropic stream ("Streaming Messages", content block delta types): answer text,
 * extended thinking and tool input (partial JSON). A map, so `constructor` is not a delta type.
 */
export const KNOWN_DELTA_SHAPES: ReadonlyMap<string, DeltaShape> = new Map(
  (
    [
      ['text_delta', 'text'],
      ['thinking_delta', 'thinking'],
      ['input_json_delta', 'partial_json'],
    ] as const
  ).map(([type, member]): [string, DeltaShape] => [type, { type, member }]),
);

/** The shape of a block's text when nothing else says (the block's first delta sets it). */
export const TEXT_DELTA_SHAPE = KNOWN_DELTA_SHAPES.get('text_delta') as DeltaShape;

/**
 * The shape of a delta of an unknown type that carries a piece of text: exactly a string `type` and one
 * other string member, as every documented delta does. Undefined for any other delta (an object).
 */
export function textDeltaShape(delta: Record<string, unknown>): DeltaShape | undefined {
  const keys = Object.keys(delta);
  if (keys.length !== 2 || typeof delta.type !== 'string') return undefined;
  const member = keys[0] === 'type' ? keys[1] : keys[0];
  if (member === undefined || member === 'type' || typeof delta[member] !== 'string') return undefined;
  return { type: delta.type, member };
}
