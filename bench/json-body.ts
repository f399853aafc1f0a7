// Cost of the duplicate-member check on request bodies (`npm run bench -- json-body`): for each body, the
// parse the gateway does anyway (UTF-8 decode + JSON.parse) and the check alone, in µs per body (median of
// rounds, in-process). The check is one count of the members in the bytes and one of the parsed names.
import { findDuplicateJsonMember } from '../src/gateway/http/duplicate-json-member.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const MIB = 1024 * 1024;

function benchBody(): string {
  const system =
    'You are the travel assistant of a small agency. Answer in a friendly, concise tone. Suggest itineraries ' +
    'with realistic walking distances, point out when tickets must be booked ahead, and never invent prices.';
  const prompt =
    'You are helping with a travel plan. I would like to visit Lisbon in late spring for five days, with two ' +
    'days of museums, one day trip to Sintra, and some time for local food. (request 1)';
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: prompt },
    ],
  });
}

/** `{"model":…,"messages":[…]}` grown to about `bytes` with `item(index)` messages. */
function grown(bytes: number, item: (index: number) => unknown): string {
  const items: string[] = [];
  let size = 40;
  for (let index = 0; size < bytes; index++) {
    const text = JSON.stringify(item(index));
    items.push(text);
    size += text.length + 1;
  }
  return `{"model":"gpt-4o-mini","messages":[${items.join(',')}]}`;
}

const BODIES: Record<string, () => string> = {
  'benchmark request': benchBody,
  '1 MiB, one long message': () =>
    JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'word: '.repeat(MIB / 6) }] }),
  '1 MiB, chat history of 500-byte turns': () =>
    grown(MIB, (index) => ({
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: `Turn ${index}: ${'some ordinary text, with a colon: and "quotes". '.repeat(10)}`,
    })),
  '1 MiB, tool calls with small argument objects': () =>
    grown(MIB, (index) => ({
      role: 'assistant',
      tool_calls: [
        {
          id: `c${index}`,
          type: 'function',
          function: { name: 'f', arguments: { a: 1, b: 'x', c: [1, 2] } },
        },
      ],
    })),
  '1 MiB, one object of 60k members': () => {
    const members = Array.from({ length: 60_000 }, (_, index) => `"k${index}":1`).join(',');
    return `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":{${members}}}`;
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timePerCall(work: () => void, budgetMs: number): number {
  let calls = 0;
  const start = performance.now();
  do {
    work();
    calls++;
  } while (performance.now() - start < budgetMs);
  return ((performance.now() - start) * 1000) / calls;
}

export function run(): Record<string, unknown>[] {
  const results: Record<string, unknown>[] = [];
  for (const [name, make] of Object.entries(BODIES)) {
    const bytes = Buffer.from(make());
    const value: unknown = JSON.parse(decoder.decode(bytes));
    if (findDuplicateJsonMember(bytes, value) !== undefined) throw new Error(`${name}: unexpected duplicate`);
    const parse: number[] = [];
    const check: number[] = [];
    for (let round = 0; round < 7; round++) {
      parse.push(timePerCall(() => JSON.parse(decoder.decode(bytes)), 150));
      check.push(timePerCall(() => findDuplicateJsonMember(bytes, value), 150));
    }
    const parseUs = median(parse);
    const checkUs = median(check);
    results.push({
      body: name,
      bytes: bytes.length,
      parseUs: Number(parseUs.toFixed(2)),
      duplicateCheckUs: Number(checkUs.toFixed(2)),
      checkShareOfParse: Number((checkUs / parseUs).toFixed(3)),
    });
  }
  return results;
}
