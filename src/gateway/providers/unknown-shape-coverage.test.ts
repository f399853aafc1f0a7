import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractAnthropicMessages } from './extract-anthropic-messages.js';
import { extractOpenAIChat } from './extract-openai-chat.js';
import { extractOpenAIResponses } from './extract-openai-responses.js';
import { setSlotText, slotText, type TextSlot } from './text-slot.js';

// Fail closed on shapes the gateway does not know: whatever JSON a caller puts in an unknown content part,
// input item, content block or body member, every string in it and every member name is checked. (The
// only strings left are a structural `type` and values under credential-like names, which go to servers.)
const STRUCTURAL_TYPE = /^[a-z][a-z_.-]{0,63}$/;
const CREDENTIAL = /authori[sz]ation|token|secret|passw(?:or)?d|api[-_]?key|cookie|credential/i;

/** The strings and member names a walk must check in `value`. */
function expectedTexts(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value)
      if (typeof item === 'string') into.push(item);
      else expectedTexts(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      into.push(key);
      if (typeof child === 'string') {
        if (!(key === 'type' && STRUCTURAL_TYPE.test(child)) && !CREDENTIAL.test(key)) into.push(child);
      } else expectedTexts(child, into);
    }
  }
  return into;
}

/** Plain strings (no data URLs or base64 file members, which are checked decoded). */
const text = fc.string({ maxLength: 12 }).filter((value) => !value.startsWith('data:'));
const key = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((name) => !['file_data', 'data', '__proto__'].includes(name));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).object;

function multiset(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** True when every expected text is among the slots' texts, as often as it occurs. */
function covered(slots: readonly TextSlot[], expected: readonly string[]): boolean {
  const found = multiset(slots.map(slotText));
  for (const [value, count] of multiset(expected)) if ((found.get(value) ?? 0) < count) return false;
  return true;
}

const PLACES: {
  name: string;
  body(unknown: Record<string, unknown>): Record<string, unknown>;
  extract: typeof extractOpenAIChat;
}[] = [
  {
    name: 'chat unknown part',
    body: (unknown) => ({
      model: 'm',
      messages: [{ role: 'user', content: [{ ...unknown, type: 'future_part' }] }],
    }),
    extract: extractOpenAIChat,
  },
  {
    name: 'chat unknown body member',
    body: (unknown) => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }], future: unknown }),
    extract: extractOpenAIChat,
  },
  {
    name: 'responses unknown item',
    body: (unknown) => ({ model: 'm', input: [{ ...unknown, type: 'future_item' }] }),
    extract: extractOpenAIResponses,
  },
  {
    name: 'anthropic unknown block',
    body: (unknown) => ({
      model: 'm',
      messages: [{ role: 'user', content: [{ ...unknown, type: 'future_block' }] }],
    }),
    extract: extractAnthropicMessages,
  },
  {
    name: 'anthropic tool input',
    body: (unknown) => ({
      model: 'm',
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: unknown }] }],
    }),
    extract: extractAnthropicMessages,
  },
];

describe('unknown shapes are checked whole', () => {
  for (const place of PLACES) {
    it(`${place.name}: every string and member name becomes a checked text`, () => {
      fc.assert(
        fc.property(json, (unknown) => {
          const body = place.body(structuredClone(unknown));
          const slots = place.extract(body).slots;
          const inner = place.name === 'anthropic tool input' ? unknown : { ...unknown, type: 'future' };
          const expected = expectedTexts(inner).filter((value) => value !== 'type' && value !== 'future');
          expect(covered(slots, expected)).toBe(true);
        }),
        { numRuns: 150, seed: 5 },
      );
    });
  }

  it('a redaction written into any slot lands where it was read, member names included', () => {
    fc.assert(
      fc.property(json, (unknown) => {
        const body = {
          model: 'm',
          messages: [{ role: 'user', content: 'hi' }],
          future: structuredClone(unknown),
        };
        const slots = extractOpenAIChat(body).slots;
        // Value slots first, as the input guard writes them (in slot order), then the texts read back.
        for (const [index, slot] of slots.entries()) setSlotText(slot, `<R_${index}>`);
        const after = expectedTexts(body.future);
        for (let index = 1; index < slots.length; index++) expect(after).toContain(`<R_${index}>`);
      }),
      { numRuns: 150, seed: 9 },
    );
  });
});
