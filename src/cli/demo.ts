import type { Command } from 'commander';
import { type DemoResult, runDemo } from '../gateway/demo/run-demo.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { CommandContext } from './command.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

/** Renders demo results as a readable table. */
export function renderDemoTable(results: readonly DemoResult[]): string {
  const lines: string[] = [];
  lines.push('Aegis gateway demo — simulated model (aegis-simulated), balanced policy, 127.0.0.1\n');
  lines.push(
    `${pad('#', 3)}${pad('scenario', 36)}${pad('route', 22)}${pad('stream', 7)}${pad('outcome', 10)}why`,
  );
  lines.push('-'.repeat(110));
  results.forEach((result, index) => {
    const why = [result.code, ...result.why].filter(Boolean).join(' ');
    const redactions = result.redactions > 0 ? ` ${result.redactions} placeholder(s) restored` : '';
    lines.push(
      `${pad(String(index + 1), 3)}${pad(result.name, 36)}${pad(result.route, 22)}${pad(result.streamed ? 'yes' : 'no', 7)}${pad(result.outcome, 10)}${why}${redactions}`,
    );
    lines.push(`${' '.repeat(3)}↳ ${result.answer}`);
  });
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  lines.push('-'.repeat(110));
  lines.push([...counts].map(([outcome, count]) => `${outcome}: ${count}`).join('  '));
  return `${lines.join('\n')}\n`;
}

/** Registers `aegis demo`. */
export function registerDemo(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description(
      'Start the gateway with the simulated model and show benign and hostile requests being handled',
    )
    .option('--format <format>', 'table | json', 'table')
    .option('--policy <preset-or-file>', 'guard policy (default balanced)')
    .action(async (flags: { format: string; policy?: string }) => {
      if (flags.format !== 'table' && flags.format !== 'json') {
        throw new AegisError(
          ERROR_CODES.INVALID_ARGUMENT,
          `--format must be table or json, got "${flags.format}"`,
        );
      }
      const results = await runDemo(flags.policy ? { policy: flags.policy } : {});
      process.stdout.write(
        flags.format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : renderDemoTable(results),
      );
      if (results.some((result) => result.outcome === 'error')) context.setExitCode(1);
    });
}
