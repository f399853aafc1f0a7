import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from './audit-log.js';
import { openDatabase } from './open-database.js';

const writer = fileURLToPath(new URL('./__fixtures__/audit-writer.ts', import.meta.url));
let dataDir: string | undefined;

afterEach(() => {
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('audit log after kill -9', () => {
  it('still verifies and misses at most one batch (≤ 100 records)', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-crash-'));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let reported = 0;
    let buffered = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('writer did not reach 3000 records'));
      }, 45_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line !== '') reported = Number(line);
        if (reported >= 3000 && !child.killed) {
          child.kill('SIGKILL');
          clearTimeout(timeout);
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');

    const database = openDatabase({ dataDir });
    const log = createAuditLog({ database });
    const result = log.verify();
    expect(result.ok).toBe(true);
    const written = result.ok ? result.count : 0;
    // Everything reported as appended before the kill is on disk, except at most one batch.
    expect(written).toBeGreaterThanOrEqual(reported - 100);
    database.close();
  });
});
