import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDemo } from '../gateway/demo/run-demo.js';
import { openStores } from '../store/open-stores.js';
import { renderDemoTable } from './demo.js';
import { gatewayConfigFromFlags } from './gateway.js';

const entry = fileURLToPath(new URL('./run.ts', import.meta.url));
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-cli-gateway-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'gateway', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match?.[1]) resolve({ child, url: match[1], stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`gateway exited early with ${code}: ${stderr}`)));
  });
}

describe('aegis gateway', () => {
  it('serves the simulated model on a free port and shuts down gracefully on SIGTERM, flushing the audit log', async () => {
    const { child, url, stderr } = await startCli(['--port', '0', '--data-dir', dataDir]);
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'hello there' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe('aegis-simulated');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toContain('simulated');
    const stores = openStores({ dataDir });
    try {
      const records = stores.auditLog.tail(10);
      expect(records).toHaveLength(1);
      expect(records[0]?.route).toBe('/v1/chat/completions');
      expect(stores.auditLog.verify().ok).toBe(true);
    } finally {
      stores.close();
    }
  });
});

describe('gateway configuration from file and flags', () => {
  it('reads YAML, applies flag overrides and puts the --upstream first', () => {
    const file = join(dataDir, 'gateway.yaml');
    writeFileSync(
      file,
      'port: 9000\nstreaming:\n  mode: buffer\nupstreams:\n  - name: local\n    provider: ollama\n    baseUrl: http://127.0.0.1:11434/v1\n',
    );
    const config = gatewayConfigFromFlags({
      config: file,
      port: '0',
      upstream: 'https://api.openai.com/v1',
      streaming: 'audit',
    });
    expect(config.port).toBe(0);
    expect(config.streaming.mode).toBe('audit');
    expect(config.upstreams.map((upstream) => upstream.name)).toEqual(['cli-upstream', 'local']);
    expect(config.upstreams[0]?.apiKeyEnv).toBe('OPENAI_API_KEY');
    expect(() => gatewayConfigFromFlags({ port: 'eighty' })).toThrow(/--port/);
    writeFileSync(
      file,
      'upstreams:\n  - name: bad\n    provider: openai\n    baseUrl: http://169.254.169.254/v1\n',
    );
    expect(() => gatewayConfigFromFlags({ config: file })).toThrow(
      expect.objectContaining({ code: 'AEGIS_UPSTREAM_URL_FORBIDDEN' }),
    );
  });
});

describe('aegis demo', () => {
  it('runs every scenario and reports what was allowed, redacted, blocked or stopped', async () => {
    const rows = await runDemo();
    expect(renderDemoTable(rows)).toContain('tool outside the allowlist');
    expect(rows.length).toBeGreaterThanOrEqual(12);
    const byName = new Map(rows.map((row) => [row.name, row]));
    expect(byName.get('benign question')?.outcome).toBe('allowed');
    expect(byName.get('tool outside the allowlist')?.code).toBe('AEGIS_TOOL_NOT_ALLOWED');
    const poisoned = byName.get('poisoned tool definition');
    expect(poisoned?.outcome).toBe('blocked');
    expect(poisoned?.code).toBe('AEGIS_INPUT_BLOCKED');
    const exfil = byName.get('markdown exfiltration in a stream');
    expect(exfil?.outcome).toBe('stopped');
    expect(exfil?.answer).toContain('Here is the summary');
    expect(exfil?.answer).not.toContain('attacker');
    const pii = byName.get('PII redacted, then restored');
    expect(pii?.outcome).toBe('redacted');
    expect(pii?.answer).toContain('jane.doe@example.com');
  });
});
