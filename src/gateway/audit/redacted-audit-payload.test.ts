import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { createGuard } from '../../guard/create-guard.js';
import type { Guard } from '../../guard/types.js';
import type { Detector } from '../../spec/detector.js';
import type { Finding } from '../../spec/finding.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { runInputGuard } from '../guard/input-guard.js';
import { extractAnthropicMessages } from '../providers/extract-anthropic-messages.js';
import { extractOpenAIChat } from '../providers/extract-openai-chat.js';
import { extractOpenAIResponses } from '../providers/extract-openai-responses.js';
import type { ExtractedRequest } from '../providers/text-slot.js';
import { AUDIT_PAYLOAD_PATTERNS, redactedAuditPayload } from './redacted-audit-payload.js';
import { scanSensitiveTexts } from './scan-sensitive-texts.js';

const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415-555-0132';
const AWS_KEY = 'AKIAZ7QW3RTY5UIOP2XC';
const RAW_VALUES = [EMAIL, PHONE, AWS_KEY];

const guards = {
  permissive: createGuard({ policy: 'permissive' }),
  balanced: createGuard({ policy: 'balanced' }),
};
const { failMode } = parseGatewayConfig({});

/** Runs the input guard on a body as the gateway does, then builds the audit copy; counts scans. */
function audit(options: {
  guard: Guard;
  body: Record<string, unknown>;
  extract?: (body: Record<string, unknown>) => ExtractedRequest;
  failScan?: boolean;
}) {
  const { guard, body } = options;
  const extracted = (options.extract ?? extractOpenAIChat)(body);
  const input = runInputGuard({ guard, extracted, vault: guard.createVault(), failMode });
  const sent = JSON.stringify(body);
  let scans = 0;
  const copy = redactedAuditPayload({
    body,
    extracted,
    checked: input.checked,
    bypass: input.bypass,
    scan: (texts) => {
      scans++;
      return options.failScan ? undefined : scanSensitiveTexts({ guard, texts });
    },
  });
  // The copy never changes what leaves.
  expect(JSON.stringify(body)).toBe(sent);
  return { copy, stored: JSON.stringify(copy), sent, scans, input };
}

const userText = `Write to ${EMAIL} or call ${PHONE}; the deploy key is ${AWS_KEY}.`;

describe('redactedAuditPayload', () => {
  it('returns the body itself when nothing was found (no copy, no scan)', () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a travel assistant.' },
        { role: 'user', content: [{ type: 'text', text: 'Five days in Lisbon, please.' }] },
      ],
      stream: true,
      max_tokens: 200,
    };
    const result = audit({ guard: guards.balanced, body });
    expect(result.copy).toBe(body);
    expect(result.scans).toBe(0);
  });

  it('masks the values a permissive policy only flagged, and the redacted ones, with typed masks', () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: userText }] };
    const result = audit({ guard: guards.permissive, body });
    // As the policy says: PII flagged (sent as written), the key redacted.
    expect(result.sent).toContain(EMAIL);
    expect(result.sent).toContain(PHONE);
    expect(result.sent).not.toContain(AWS_KEY);
    for (const value of RAW_VALUES) expect(result.stored).not.toContain(value);
    expect(result.copy).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content:
            'Write to [REDACTED:EMAIL_ADDRESS] or call [REDACTED:PHONE_NUMBER]; the deploy key is [REDACTED:AWS_ACCESS_KEY_ID].',
        },
      ],
    });
  });

  it('keeps the body as sent (placeholders) when the policy redacted every value', () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: userText }] };
    const result = audit({ guard: guards.balanced, body });
    expect(result.copy).toBe(body);
    expect(result.stored).toContain('<EMAIL_ADDRESS_1>');
    for (const value of RAW_VALUES) expect(result.stored).not.toContain(value);
  });

  it('masks what a policy that flags secrets lets through', () => {
    const guard = createGuard({ policy: { extends: 'balanced', families: { secrets: { action: 'flag' } } } });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: userText }] };
    const result = audit({ guard, body });
    expect(result.sent).toContain(AWS_KEY);
    expect(result.sent).toContain('<EMAIL_ADDRESS_1>');
    for (const value of RAW_VALUES) expect(result.stored).not.toContain(value);
    expect(result.stored).toContain('[REDACTED:AWS_ACCESS_KEY_ID]');
  });

  it('masks a flagged value that a redacted one cut into, from the original text', () => {
    // A secret rule (redacted) whose span ends inside an e-mail address (only flagged): the part of the
    // address after the secret's span is still in the text as sent.
    const finding = (options: { family: 'pii' | 'secrets'; type: string; start: number; end: number }) =>
      ({
        ...options,
        detector: `test-${options.family}`,
        category: options.family === 'pii' ? 'sensitive-data' : 'secret',
        severity: 'high',
        score: 0.95,
        ruleId: `test.${options.type.toLowerCase()}`,
      }) as Finding;
    const detectors: Detector[] = [
      {
        id: 'test-secrets',
        family: 'secrets',
        detect: (text) => {
          const start = text.indexOf('tok_');
          return start < 0 ? [] : [finding({ family: 'secrets', type: 'TOKEN', start, end: start + 12 })];
        },
      },
      {
        id: 'test-pii',
        family: 'pii',
        detect: (text) => {
          const start = text.indexOf('jane');
          return start < 0 ? [] : [finding({ family: 'pii', type: 'EMAIL_ADDRESS', start, end: start + 16 })];
        },
      },
    ];
    const guard = createGuard({
      policy: { extends: 'balanced', families: { pii: { action: 'flag' } } },
      detectors,
    });
    const body = { model: 'm', messages: [{ role: 'user', content: 'see tok_abc jane@example.com now' }] };
    const result = audit({ guard, body });
    expect(result.sent).toContain('@example.com');
    expect(result.sent).not.toContain('jane@example.com');
    expect((result.copy as typeof body).messages[0]!.content).toBe('see [REDACTED:TOKEN] now');
  });

  it('masks every slot of a request on its own (system prompt, parts, tool arguments), clean ones as sent', () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: `The customer is Jane, ${EMAIL}.` },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Plan a trip to Porto.' },
            { type: 'text', text: `Call me on ${PHONE} 😀 when done` },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'send_mail', arguments: JSON.stringify({ to: EMAIL, key: AWS_KEY }) },
            },
          ],
        },
      ],
    };
    const result = audit({ guard: guards.permissive, body });
    for (const value of RAW_VALUES) expect(result.stored).not.toContain(value);
    const messages = (result.copy as typeof body).messages;
    expect(messages[0]!.content).toBe('The customer is Jane, [REDACTED:EMAIL_ADDRESS].');
    const parts = messages[1]!.content as { text: string }[];
    expect(parts[0]!.text).toBe('Plan a trip to Porto.');
    expect(parts[1]!.text).toBe('Call me on [REDACTED:PHONE_NUMBER] 😀 when done');
    const call = (
      messages[2]!.tool_calls as { id: string; function: { name: string; arguments: string } }[]
    )[0]!;
    expect(call.id).toBe('call_1');
    expect(call.function.name).toBe('send_mail');
    expect(call.function.arguments).toContain('[REDACTED:EMAIL_ADDRESS]');
    expect(call.function.arguments).toContain('[REDACTED:AWS_ACCESS_KEY_ID]');
  });

  it('masks PII and secrets in members the input guard does not check, and keeps identifiers', () => {
    const long = `${'x'.repeat(20_000)}${AWS_KEY}`;
    const body = {
      model: 'gpt-4o-mini',
      user: EMAIL,
      metadata: { contact: `reach ${PHONE}`, ticket: 'T-1' },
      prompt_cache_key: `tenant-${AWS_KEY}`,
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup',
            description: `Looks up orders. Admin: ${EMAIL}`,
            parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
          },
        },
      ],
      messages: [{ role: 'user', content: 'Where is my order?', name: 'customer_7' }],
      stop: [long],
    };
    const result = audit({ guard: guards.balanced, body });
    expect(result.scans).toBe(1);
    for (const value of RAW_VALUES) expect(result.stored).not.toContain(value);
    const copy = result.copy as {
      user: string;
      metadata: unknown;
      prompt_cache_key: string;
      tools: { function: { name: string; description: string; parameters: unknown } }[];
      messages: unknown;
      stop: string[];
    };
    expect(copy.user).toBe('[REDACTED:EMAIL_ADDRESS]');
    expect(copy.metadata).toEqual({ contact: 'reach [REDACTED:PHONE_NUMBER]', ticket: 'T-1' });
    expect(copy.prompt_cache_key).toBe('tenant-[REDACTED:AWS_ACCESS_KEY_ID]');
    expect(copy.tools[0]!.function.name).toBe('lookup');
    expect(copy.tools[0]!.function.description).toBe('Looks up orders. Admin: [REDACTED:EMAIL_ADDRESS]');
    expect(copy.tools[0]!.function.parameters).toEqual(body.tools[0]!.function.parameters);
    expect(copy.messages).toEqual(body.messages);
    // Too long to scan: stored as its length only.
    expect(copy.stop).toEqual([`[OMITTED:${long.length}]`]);
  });

  it('masks unchecked credentials by their member name, whatever they look like', () => {
    const body = {
      model: 'gpt-4.1',
      input: 'What is new in the repo?',
      tools: [
        {
          type: 'mcp',
          server_label: 'repo',
          server_url: 'https://mcp.example.com/sse',
          authorization: 'opaque-0123456789',
          headers: { Authorization: 'Bearer opaque-abcdef', 'X-Api-Key': 'k-42' },
        },
      ],
    };
    const result = audit({ guard: guards.balanced, body, extract: extractOpenAIResponses });
    const tool = (result.copy as { tools: Record<string, unknown>[] }).tools[0]!;
    expect(tool.authorization).toBe('[REDACTED:CREDENTIAL]');
    expect(tool.headers).toEqual({
      Authorization: '[REDACTED:CREDENTIAL]',
      'X-Api-Key': '[REDACTED:CREDENTIAL]',
    });
    expect(tool.server_label).toBe('repo');
    expect(tool.server_url).toBe('https://mcp.example.com/sse');
    expect(result.stored).not.toContain('opaque');
  });

  it('stores unchecked strings as their length when the scan fails', () => {
    const body = { model: 'm', user: EMAIL, messages: [{ role: 'user', content: 'hello' }] };
    const result = audit({ guard: guards.balanced, body, failScan: true });
    expect((result.copy as Record<string, unknown>).user).toBe(`[OMITTED:${EMAIL.length}]`);
    expect((result.copy as { messages: unknown }).messages).toEqual(body.messages);
  });

  it('keeps only the shape of the body after a check failed open', () => {
    const body = {
      model: 'claude-sonnet',
      system: `Customer ${EMAIL}`,
      messages: [{ role: 'user', content: [{ type: 'text', text: userText }] }],
      max_tokens: 100,
    };
    const extracted = extractAnthropicMessages(body);
    const copy = redactedAuditPayload({ body, extracted, bypass: true, scan: () => [] });
    expect(copy).toEqual({
      model: 'claude-sonnet',
      system: `[OMITTED:${body.system.length}]`,
      messages: [{ role: 'user', content: [{ type: 'text', text: `[OMITTED:${userText.length}]` }] }],
      max_tokens: 100,
    });
  });

  it('keeps a `__proto__` member as a member of the copy', () => {
    const body = JSON.parse(
      `{"model":"m","metadata":{"__proto__":"${EMAIL}"},"messages":[{"role":"user","content":"hi"}]}`,
    ) as Record<string, unknown>;
    const result = audit({ guard: guards.balanced, body });
    expect(result.stored).toContain('"__proto__":"[REDACTED:EMAIL_ADDRESS]"');
  });

  it('masks an Anthropic request as well (system string, blocks, tool input)', () => {
    const body = {
      model: 'claude-sonnet',
      system: `Customer ${EMAIL}`,
      messages: [
        { role: 'user', content: [{ type: 'text', text: userText }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'mail', input: { to: EMAIL, phone: PHONE } }],
        },
      ],
      metadata: { user_id: EMAIL },
    };
    const result = audit({ guard: guards.permissive, body, extract: extractAnthropicMessages });
    for (const value of RAW_VALUES) expect(result.stored).not.toContain(value);
    expect(result.stored).toContain('"id":"toolu_1"');
    expect(result.stored).toContain('"name":"mail"');
  });

  it('uses patterns safe from ReDoS', () => {
    for (const pattern of Object.values(AUDIT_PAYLOAD_PATTERNS))
      expect(checkSync(pattern.source, pattern.flags).status).toBe('safe');
  });
});
