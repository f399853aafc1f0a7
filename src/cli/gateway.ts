import type { Command } from 'commander';
import type { GatewayConfigInput } from '../gateway/config/gateway-config-schema.js';
import { loadGatewayConfig, parseGatewayConfig } from '../gateway/config/load-gateway-config.js';
import { startGateway } from '../gateway/start-gateway.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { CommandContext } from './command.js';

interface GatewayFlags {
  config?: string;
  host?: string;
  port?: string;
  upstream?: string;
  upstreamProvider?: string;
  upstreamKeyEnv?: string;
  dataDir?: string;
  policy?: string;
  streaming?: string;
}

function portNumber(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `--port must be 0..65535, got "${value}"`);
  }
  return Number(value);
}

/** Builds the gateway config from a file (optional) and command-line overrides. */
export function gatewayConfigFromFlags(flags: GatewayFlags): ReturnType<typeof parseGatewayConfig> {
  const base: Record<string, unknown> = flags.config
    ? structuredClone(loadGatewayConfig(flags.config) as unknown as Record<string, unknown>)
    : {};
  const input = base as GatewayConfigInput & Record<string, unknown>;
  if (flags.host !== undefined) input.host = flags.host;
  if (flags.port !== undefined) input.port = portNumber(flags.port);
  if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
  if (flags.policy !== undefined) input.policy = flags.policy;
  if (flags.streaming !== undefined) {
    input.streaming = { ...(input.streaming ?? {}), mode: flags.streaming as 'window' };
  }
  if (flags.upstream !== undefined) {
    const provider = flags.upstreamProvider ?? 'openai';
    const upstream: Record<string, unknown> = {
      name: 'cli-upstream',
      provider,
      baseUrl: flags.upstream,
      models: ['*'],
    };
    const keyEnv =
      flags.upstreamKeyEnv ??
      (provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : provider === 'openai' ? 'OPENAI_API_KEY' : undefined);
    if (keyEnv !== undefined) upstream.apiKeyEnv = keyEnv;
    input.upstreams = [upstream as never, ...(input.upstreams ?? [])];
  }
  return parseGatewayConfig(input);
}

/** Registers `aegis gateway`. */
export function registerGateway(program: Command, context: CommandContext): void {
  program
    .command('gateway')
    .description(
      'Run the OpenAI/Anthropic-compatible security gateway (simulated model when no upstream is set)',
    )
    .option('--config <file>', 'gateway config (YAML or JSON)')
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default 8787; 0 = any free port)')
    .option(
      '--upstream <url>',
      'upstream base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1',
    )
    .option('--upstream-provider <name>', 'openai | azure | ollama | vllm | anthropic (default openai)')
    .option('--upstream-key-env <name>', 'environment variable holding the upstream API key')
    .option('--data-dir <dir>', 'folder for the SQLite database (default .aegis)')
    .option('--policy <preset-or-file>', 'guard policy: strict | balanced | permissive | FILE')
    .option('--streaming <mode>', 'streaming output guard: window | buffer | audit')
    .action(async (flags: GatewayFlags) => {
      const config = gatewayConfigFromFlags(flags);
      const started = await startGateway({ config });
      process.stderr.write(`aegis gateway listening on ${started.url}\n`);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string): void => {
          if (stopping) return;
          stopping = true;
          started.logger.info('shutting down', { signal });
          started
            .close()
            .catch((error: unknown) => {
              started.logger.error('shutdown failed', {
                error: error instanceof Error ? error.message : 'unknown',
              });
              context.setExitCode(1);
            })
            .finally(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
