import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../store/audit-log.js';
import { openDatabase } from '../store/open-database.js';
import { runCliSpawned as aegis, runCliInProcess as inProcess } from './test-support/run-cli.js';

// Each spawn loads the whole CLI from source, so only exit codes and files are checked by spawning; the
// rest runs in process.
let dataDir: string;

function writeRecords(count: number, key?: Buffer): void {
  const database = openDatabase({ dataDir });
  const log = createAuditLog({ database, payloads: key ? 'full' : 'redacted', encryptionKey: key });
  for (let index = 1; index <= count; index += 1) {
    log.append({
      requestId: `req-${index}`,
      keyId: 'key_1',
      method: 'POST',
      route: '/v1/chat/completions',
      status: index % 3 === 0 ? 400 : 200,
      latencyMs: 3,
      input: { action: index % 3 === 0 ? 'block' : 'allow' },
      payload: { full: { prompt: `secret prompt ${index}` } },
    });
  }
  log.close();
  database.close();
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'aegis-cli-audit-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('aegis audit', () => {
  it('verify exits 0 when intact and 1 naming the first bad record', async () => {
    writeRecords(8);
    const intact = aegis(['audit', 'verify', '--data-dir', dataDir]);
    expect(intact.status).toBe(0);
    expect(intact.stdout).toContain('intact: 8 record(s)');
    const anchor = /head (8:sha256:[0-9a-f]{64})/.exec(intact.stdout)?.[1] ?? '';
    expect((await inProcess(['audit', 'verify', '--anchor', anchor, '--data-dir', dataDir])).status).toBe(0);

    const database = openDatabase({ dataDir });
    const row = database.prepare('SELECT id FROM audit_records WHERE sequence = 5').get() as { id: string };
    database
      .prepare(
        'UPDATE audit_records SET record = replace(record, \'"status":200\', \'"status":201\') WHERE sequence = 5',
      )
      .run();
    database.close();
    const broken = aegis(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`#5 (id ${row.id}): modified`);
  });

  it('tails and exports JSONL, decrypting full payloads with the key', async () => {
    const key = randomBytes(32);
    writeRecords(5, key);
    const tail = await inProcess(['audit', 'tail', '-n', '2', '--data-dir', dataDir]);
    expect(tail.status).toBe(0);
    expect(tail.stdout.trim().split('\n')).toHaveLength(2);
    expect(tail.stdout).toContain('req-5');
    expect(tail.stdout).not.toContain('secret prompt');

    const output = join(dataDir, 'export.jsonl');
    const exported = aegis(
      ['audit', 'export', '--format', 'jsonl', '--output', output, '--decrypt', '--data-dir', dataDir],
      {
        AEGIS_AUDIT_KEY: key.toString('base64'),
      },
    );
    expect(exported.status).toBe(0);
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5);
    expect(lines[4].payload).toEqual({ decrypted: { prompt: 'secret prompt 5' } });

    const stdoutExport = await inProcess(['audit', 'export', '--data-dir', dataDir]);
    expect(stdoutExport.stdout.trim().split('\n')).toHaveLength(5);
    expect(stdoutExport.stdout).not.toContain('secret prompt');

    const saved = process.env.AEGIS_AUDIT_KEY;
    delete process.env.AEGIS_AUDIT_KEY;
    const noKey = await inProcess(['audit', 'export', '--decrypt', '--data-dir', dataDir]);
    if (saved !== undefined) process.env.AEGIS_AUDIT_KEY = saved;
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('AEGIS_AUDIT_KEY_MISSING');
  });

  it('reports a missing data folder and bad options', async () => {
    const result = await inProcess(['audit', 'verify', '--data-dir', join(dataDir, 'nothing-here')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('AEGIS_NOT_FOUND');
    writeRecords(1);
    expect((await inProcess(['audit', 'tail', '-n', '0', '--data-dir', dataDir])).stderr).toContain(
      'AEGIS_INVALID_ARGUMENT',
    );
    expect((await inProcess(['audit', 'export', '--format', 'csv', '--data-dir', dataDir])).stderr).toContain(
      'jsonl',
    );
    expect(
      (await inProcess(['audit', 'verify', '--anchor', 'nope', '--data-dir', dataDir])).stderr,
    ).toContain('anchor');
  });
});
