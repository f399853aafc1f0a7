import type { Command } from 'commander';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { type ApiKeyRecord, createKeyStore } from '../store/key-store.js';
import { DEFAULT_DATA_DIR, openDatabase } from '../store/open-database.js';
import type { CommandContext } from './command.js';

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    if (!/^[1-9][0-9]{0,14}$/.test(value)) {
      throw new AegisError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${flag} must be a positive whole number, got "${value}"`,
      );
    }
    return Number(value);
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function limit(value: number | null, unit = ''): string {
  return value === null ? '-' : `${value}${unit}`;
}

function describeKey(record: ApiKeyRecord): string {
  return [
    record.id,
    record.name,
    `${record.prefix}…`,
    record.revokedAt === null ? 'active' : `revoked ${record.revokedAt}`,
    `models=${record.models?.join(',') ?? '*'}`,
    `rpm=${limit(record.rpm)}`,
    `tpm=${limit(record.tpm)}`,
    `concurrency=${limit(record.concurrency)}`,
    `daily-tokens=${limit(record.dailyTokens)}`,
    `tools=${record.tools?.join(',') ?? '*'}`,
    `created ${record.createdAt}`,
  ].join('  ');
}

function withStore<T>(dataDir: string, run: (store: ReturnType<typeof createKeyStore>) => T): T {
  const database = openDatabase({ dataDir });
  try {
    return run(createKeyStore({ database }));
  } finally {
    database.close();
  }
}

/** `aegis keys create|list|revoke`: API keys for the gateway, stored hashed in the data folder. */
export function registerKeys(program: Command, context: CommandContext): void {
  const keys = program.command('keys').description('Manage gateway API keys (stored as SHA-256 hashes).');

  keys
    .command('create')
    .description('Create an API key; it is printed once and cannot be shown again.')
    .requiredOption('--name <name>', 'a label for the key (who or what uses it)')
    .option('--models <list>', 'comma-separated models the key may call (default: all)', list)
    .option('--rpm <n>', 'requests per minute', positiveInteger('--rpm'))
    .option('--tpm <n>', 'tokens per minute', positiveInteger('--tpm'))
    .option('--concurrency <n>', 'requests in flight at once', positiveInteger('--concurrency'))
    .option(
      '--daily-tokens <n>',
      'tokens per UTC day (cost and model-extraction defence)',
      positiveInteger('--daily-tokens'),
    )
    .option('--tools <list>', 'comma-separated tool names the key may use (default: any)', list)
    .option('--data-dir <dir>', 'data folder', DEFAULT_DATA_DIR)
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      '\nExample:\n  aegis keys create --name ci --models gpt-4o-mini --rpm 60 --daily-tokens 200000\n',
    )
    .action((options) => {
      const { key, record } = withStore(options.dataDir, (store) =>
        store.create({
          name: options.name,
          models: options.models,
          rpm: options.rpm,
          tpm: options.tpm,
          concurrency: options.concurrency,
          dailyTokens: options.dailyTokens,
          tools: options.tools,
        }),
      );
      if (options.json) process.stdout.write(`${JSON.stringify({ key, record })}\n`);
      else {
        process.stdout.write(
          `${key}\n\nCreated ${record.id} (${record.name}). This is the only time the key is shown: store it now.\n`,
        );
      }
      context.setExitCode(0);
    });

  keys
    .command('list')
    .description('List keys (never the keys themselves).')
    .option('--data-dir <dir>', 'data folder', DEFAULT_DATA_DIR)
    .option('--json', 'print JSON', false)
    .action((options) => {
      const records = withStore(options.dataDir, (store) => store.list());
      if (options.json) process.stdout.write(`${JSON.stringify(records)}\n`);
      else if (records.length === 0) process.stdout.write('no keys\n');
      else process.stdout.write(`${records.map(describeKey).join('\n')}\n`);
      context.setExitCode(0);
    });

  keys
    .command('revoke')
    .description('Revoke a key by id; a running gateway refuses it within a second.')
    .argument('<id>', 'key id (from `aegis keys list`)')
    .option('--data-dir <dir>', 'data folder', DEFAULT_DATA_DIR)
    .option('--json', 'print JSON', false)
    .action((id: string, options) => {
      const record = withStore(options.dataDir, (store) => store.revoke(id));
      if (options.json) process.stdout.write(`${JSON.stringify(record)}\n`);
      else process.stdout.write(`revoked ${record.id} (${record.name}) at ${record.revokedAt}\n`);
      context.setExitCode(0);
    });
}
