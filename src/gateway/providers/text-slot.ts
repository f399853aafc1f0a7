import type { Role } from '../../spec/role.js';
import { decodeText, encodeText, type TextEncoding } from './encoded-text.js';
import type { ToolDefinitionSlot } from './tool-definition-slots.js';

/**
 * A place in a parsed JSON body that holds text the guard checks: the object or array holding it and
 * the key. Keeping the container (not a closure) lets redaction write back without re-walking the body.
 */
export interface TextSlot {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  role: Role;
  /** Set when the slot holds the text encoded (a text file as a data URL or base64): checked decoded. */
  encoding?: TextEncoding;
  /**
   * Set when the text is a member name of this object (a key of a tool's JSON input, which the model
   * reads); the slot's container is then a one-element array holding the name, apart from the body, so
   * that nothing takes the name slot for its member's value. A redaction renames the member, keeping its
   * value and the members' order.
   */
  renames?: Record<string, unknown>;
}

/** Reads the text held by a slot (decoded, for an encoded slot). */
export function slotText(slot: TextSlot): string {
  const value = (slot.container as Record<string | number, unknown>)[slot.key] as string;
  return slot.encoding === undefined ? value : decodeText(value, slot.encoding);
}

/** Writes text into a slot (encoded as the slot held it; a member name renames the member). */
export function setSlotText(slot: TextSlot, text: string): void {
  const holder = slot.container as Record<string | number, unknown>;
  if (slot.renames !== undefined) renameMember(slot.renames, holder[slot.key] as string, text);
  holder[slot.key] =
    slot.encoding === undefined ? text : encodeText(text, holder[slot.key] as string, slot.encoding);
}

/** Renames a member in place, the others keeping their order (JSON objects keep insertion order). */
function renameMember(record: Record<string, unknown>, from: string, to: string): void {
  if (from === to) return;
  for (const key of Object.keys(record)) {
    const value = record[key];
    delete record[key];
    record[key === from ? to : key] = value;
  }
}

/** What the gateway learns from a request body: texts to check, the model, streaming, declared tools. */
export interface ExtractedRequest {
  model: string;
  stream: boolean;
  slots: TextSlot[];
  /** Names of tools the caller declared. */
  tools: string[];
  /** Texts of the declared tools (descriptions, schema texts, parameter names); absent without tools. */
  toolTexts?: ToolDefinitionSlot[];
  /**
   * The system prompt text, for leak detection in output. The input guard sets it again from
   * `systemPromptSlots` when it redacts them, so output is compared with the prompt the upstream saw.
   */
  systemPrompt?: string;
  /** The slots `systemPrompt` is joined from (one per part or block). */
  systemPromptSlots?: readonly TextSlot[];
}

/** The system prompt as its slots hold it now (parts joined by a line break). */
export function joinSlotTexts(slots: readonly TextSlot[]): string {
  return slots.map(slotText).join('\n');
}
