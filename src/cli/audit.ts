import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { AegisError, ERROR_CODES, isAegisError } from '../spec/errors.js';
import { parseChainAnchor } from '../store/audit-chain.js';
import { loadAuditKey } from '../store/audit-cipher.js';
import { type AuditReader, createAuditReader } from '../store/audit-reader.js';
import type { StoredAuditRecord } from '../store/audit-record.js';
import { DEFAULT_DATA_DIR, openDatabase } from '../store/open-database.js';
import type { CommandContext } from './command.js';

// The export notices a closed stdout itself; this only keeps a late EPIPE from crashing the process.
function ignoreOutputError(): void {}

async function withAuditLog<T>(dataDir: string, run: (log: AuditReader) => Promise<T> | T): Promise<T> {
  const database = openDatabase({ dataDir, mustExist: true });
  try {
    // Reading only: no encryption key is needed unless decrypting.
    return await run(createAuditReader({ database }));
  } finally {
    database.close();
  }
}

function describeRecord(record: StoredAuditRecord): string {
  const findings = (record.input?.findings.length ?? 0) + (record.output?.findings.length ?? 0);
  return [
    `#${record.sequence}`,
    record.time,
    record.requestId,
    `key=${record.keyId ?? '-'}`,
    `${record.method ?? ''} ${record.route}`.trim(),
    `model=${record.model ?? '-'}`,
    `status=${record.status}`,
    `in=${record.input?.action ?? '-'}`,
    `out=${record.output?.action ?? '-'}`,
    `findings=${findings}`,
    `${record.latencyMs}ms`,
    record.errorCode ?? '',
  ]
    .join('  ')
    .trim();
}

/** `aegis audit verify|tail|export`: inspect the hash-chained audit log. */
export function registerAudit(program: Command, context: CommandContext): void {
  const audit = program.command('audit').description('Inspect and verify the tamper-evident audit log.');

  audit
    .command('verify')
    .description(
      'Verify the hash chain: exit 0 when intact, 1 naming the first modified, deleted or reordered record.',
    )
    .option(
      '--anchor <seq:hash>',
      'a head printed by an earlier verify, kept elsewhere: detects truncation and rewrites',
    )
    .option('--data-dir <dir>', 'data folder', DEFAULT_DATA_DIR)
    .option('--json', 'print JSON', false)
    .action(async (options) => {
      const anchor = options.anchor === undefined ? undefined : parseChainAnchor(options.anchor);
      const result = await withAuditLog(options.dataDir, (log) => log.verify({ anchor }));
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.ok) {
        const head =
          result.head === null ? 'empty log' : `head ${result.head.sequence}:sha256:${result.head.hash}`;
        process.stdout.write(`audit log intact: ${result.count} record(s), ${head}\n`);
      } else {
        process.stdout.write(
          `audit log BROKEN at record #${result.sequence} (id ${result.id || 'none'}): ${result.problem}\n  ${result.message}\n  ${result.count} record(s) before it verified\n`,
        );
      }
      context.setExitCode(result.ok ? 0 : 1);
    });

  audit
    .command('tail')
    .description('Show the most recent records.')
    .option('-n, --lines <n>', 'how many records', '20')
    .option('--data-dir <dir>', 'data folder', DEFAULT_DATA_DIR)
    .option('--json', 'print one JSON record per line', false)
    .action(async (options) => {
      const count = Number(options.lines);
      if (!Number.isInteger(count) || count < 1 || count > 100_000) {
        throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, '-n must be a whole number from 1 to 100000');
      }
      const records = await withAuditLog(options.dataDir, (log) => log.tail(count));
      const lines = records.map((record) => (options.json ? JSON.stringify(record) : describeRecord(record)));
      process.stdout.write(
        lines.length === 0 ? (options.json ? '' : 'no records\n') : `${lines.join('\n')}\n`,
      );
      context.setExitCode(0);
    });

  audit
    .command('export')
    .description('Export every record with its chain links as JSON Lines.')
    .option('--format <format>', 'output format (jsonl)', 'jsonl')
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--decrypt', 'decrypt full payloads with AEGIS_AUDIT_KEY / AEGIS_AUDIT_KEY_FILE', false)
    .option('--data-dir <dir>', 'data folder', DEFAULT_DATA_DIR)
    .action(async (options) => {
      if (options.format !== 'jsonl') {
        throw new AegisError(
          ERROR_CODES.INVALID_ARGUMENT,
          `unsupported export format "${options.format}" (use jsonl)`,
        );
      }
      const decryptionKey = options.decrypt ? loadAuditKey() : undefined;
      const count = await withAuditLog(options.dataDir, async (log) => {
        if (options.output === undefined) {
          // A reader that stops early (`| head`) closes the pipe: stop quietly, like other Unix tools.
          if (!process.stdout.listeners('error').includes(ignoreOutputError)) {
            process.stdout.on('error', ignoreOutputError);
          }
          try {
            return await log.exportJsonl(process.stdout, { decryptionKey });
          } catch (error) {
            if (isAegisError(error, ERROR_CODES.IO_ERROR)) return 0;
            throw error;
          }
        }
        const file = createWriteStream(options.output, { mode: 0o600 });
        const written = await log.exportJsonl(file, { decryptionKey });
        file.end();
        await finished(file);
        return written;
      });
      if (options.output !== undefined)
        process.stderr.write(`exported ${count} record(s) to ${options.output}\n`);
      context.setExitCode(0);
    });
}
