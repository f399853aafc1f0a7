import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../monitor/logger.js';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { startGateway } from '../start-gateway.js';
import { createSseParser } from '../streaming/sse-parser.js';
import { DEMO_SCENARIOS, type DemoScenario } from './demo-scenarios.js';

/** What happened to one demo request. */
export interface DemoResult {
  name: string;
  route: string;
  streamed: boolean;
  expected: string;
  /** `allowed`, `redacted`, `blocked` (refused before the model) or `stopped` (stream ended by the guard). */
  outcome: 'allowed' | 'redacted' | 'blocked' | 'stopped' | 'error';
  status: number;
  /** Stable error code, when refused or stopped. */
  code?: string;
  /** Finding types that explain the decision (never values). */
  why: string[];
  /** Placeholders used for this request. */
  redactions: number;
  /** What the caller saw (shortened). */
  answer: string;
  /** The gateway's request id (links the row to its audit record). */
  requestId: string;
}

function short(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function typesOf(findings: unknown): string[] {
  if (!Array.isArray(findings)) return [];
  return [...new Set(findings.map((finding) => String((finding as { type?: unknown }).type)))];
}

function answerOf(body: Record<string, unknown>): string {
  const choice = (
    body.choices as
      | {
          message?: {
            content?: string | null;
            tool_calls?: { function: { name: string; arguments: string } }[];
          };
        }[]
      | undefined
  )?.[0];
  if (choice?.message) {
    const call = choice.message.tool_calls?.[0];
    return call
      ? `tool ${call.function.name}(${call.function.arguments})`
      : String(choice.message.content ?? '');
  }
  if (Array.isArray(body.data)) return `${body.data.length} embedding(s)`;
  const item = (
    body.output as { content?: { text?: string }[]; name?: string; arguments?: string }[] | undefined
  )?.[0];
  if (item) return item.content?.[0]?.text ?? `tool ${item.name}(${item.arguments})`;
  const block = (body.content as { text?: string }[] | undefined)?.[0];
  if (block?.text !== undefined) return block.text;
  return JSON.stringify(body).slice(0, 200);
}

async function runScenario(url: string, scenario: DemoScenario): Promise<DemoResult> {
  const response = await fetch(`${url}${scenario.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenario.body),
  });
  const redactions = Number(response.headers.get('x-aegis-redactions') ?? 0);
  const base = {
    requestId: response.headers.get('x-request-id') ?? '',
    name: scenario.name,
    route: scenario.path,
    streamed: scenario.stream,
    expected: scenario.expect,
    status: response.status,
    redactions,
  };
  if (response.status >= 400) {
    const body = (await response.json()) as {
      error?: { code?: string; findings?: unknown; message?: string };
    };
    return {
      ...base,
      outcome: 'blocked',
      code: body.error?.code,
      why: typesOf(body.error?.findings),
      answer: short(body.error?.message ?? ''),
    };
  }
  if (!scenario.stream) {
    const body = (await response.json()) as Record<string, unknown>;
    const answer = answerOf(body);
    const outcome = redactions > 0 || answer.includes('[REDACTED') ? 'redacted' : 'allowed';
    return { ...base, outcome, why: [], answer: short(answer) };
  }
  let text = '';
  let error: { code?: string; findings?: unknown } | undefined;
  const parser = createSseParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (data.error) error = data.error as typeof error;
      const delta = (data.choices as { delta?: { content?: string } }[] | undefined)?.[0]?.delta?.content;
      if (typeof delta === 'string') text += delta;
      const anthropic = (data.delta as { text?: string } | undefined)?.text;
      if (data.type === 'content_block_delta' && typeof anthropic === 'string') text += anthropic;
    },
  });
  parser.push(new Uint8Array(await response.arrayBuffer()));
  parser.end();
  if (error)
    return {
      ...base,
      outcome: 'stopped',
      code: error.code,
      why: typesOf(error.findings),
      answer: short(text),
    };
  const outcome = redactions > 0 || text.includes('[REDACTED') ? 'redacted' : 'allowed';
  return { ...base, outcome, why: [], answer: short(text) };
}

/**
 * Runs the demo: a gateway on 127.0.0.1 (port 0) with the simulated model, the balanced policy and a
 * throwaway data folder; sends every scenario and returns what happened.
 */
export async function runDemo(options: { policy?: string } = {}): Promise<DemoResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-demo-'));
  const config = parseGatewayConfig({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    policy: options.policy ?? 'balanced',
    tools: { allow: ['search_docs', 'fetch_page'] },
    logging: { level: 'silent', requests: false },
  });
  const started = await startGateway({ config, logger: createLogger({ level: 'silent' }) });
  try {
    const results: DemoResult[] = [];
    for (const scenario of DEMO_SCENARIOS) results.push(await runScenario(started.url, scenario));
    // Explain redactions and output findings from the audit log (finding types only, never values).
    started.stores.auditLog.flush();
    const records = new Map(
      started.stores.auditLog.tail(results.length * 2).map((record) => [record.requestId, record]),
    );
    for (const result of results) {
      if (result.why.length > 0) continue;
      const record = records.get(result.requestId);
      const findings = [...(record?.input?.findings ?? []), ...(record?.output?.findings ?? [])];
      result.why = [...new Set(findings.map((finding) => finding.type))];
    }
    return results;
  } finally {
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
