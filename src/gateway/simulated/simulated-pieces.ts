/** Fixed creation time: the simulated model is deterministic. */
export const CREATED = 1_700_000_000;
/** Characters per streamed delta: small, so placeholders and forbidden items split across many chunks. */
const CHUNK = 4;

/** Splits a text into the deltas the simulated model streams. */
export function pieces(text: string): string[] {
  const out: string[] = [];
  for (let index = 0; index < text.length; index += CHUNK) out.push(text.slice(index, index + CHUNK));
  return out;
}
