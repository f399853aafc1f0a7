import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderJson } from '../scan/report/render-json.js';
import { renderSarif } from '../scan/report/render-sarif.js';
import { renderText } from '../scan/report/render-text.js';
import { scanPaths } from '../scan/scan-paths.js';
import type { ScanEvent, ScanReport } from '../scan/types.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { CommandContext } from './command.js';
import { VERSION } from './version.js';

const FORMATS = ['text', 'json', 'sarif'] as const;

/** Exit code: 1 when any file fails (malicious, or suspicious with --strict), else 2 when any could not be scanned, else 0. */
export function scanExitCode(report: ScanReport, strict: boolean): number {
  const failing = report.files.some(
    (file) => file.verdict === 'malicious' || (strict && file.verdict === 'suspicious'),
  );
  if (failing) return 1;
  return report.files.some((file) => file.verdict === 'error') ? 2 : 0;
}

function progressPrinter(): (event: ScanEvent) => void {
  let lastWrite = 0;
  return (event) => {
    if (event.type !== 'file-done') return;
    const now = Date.now();
    const last = event.index + 1 === event.total;
    if (!last && now - lastWrite < 200) return;
    lastWrite = now;
    process.stderr.write(`\rscanned ${event.index + 1}/${event.total} files${last ? '\n' : ''}`);
  };
}

/** `aegis scan model PATH...`: scan model files for code that runs on load. */
export function registerScan(program: Command, context: CommandContext): void {
  const scan = program.command('scan').description('Scan artifacts for supply-chain threats.');
  scan
    .command('model')
    .description(
      'Scan model files and folders (pickle, PyTorch, safetensors, ONNX, Keras, GGUF, …) by content.',
    )
    .argument('<paths...>', 'files or folders to scan (folders recursively)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--strict', 'fail on suspicious files and treat unknown formats as suspicious', false)
    .action(async (paths: string[], options: { format: string; output?: string; strict: boolean }) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) {
        throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `--format must be one of ${FORMATS.join(', ')}`);
      }
      const showProgress = process.stderr.isTTY === true;
      const report = await scanPaths(paths, {
        strict: options.strict,
        ...(showProgress ? { onEvent: progressPrinter() } : {}),
      });
      const rendered =
        options.format === 'json'
          ? renderJson(report)
          : options.format === 'sarif'
            ? renderSarif(report, { toolVersion: VERSION })
            : renderText(report);
      if (options.output !== undefined) writeFileSync(options.output, rendered);
      else process.stdout.write(rendered);
      context.setExitCode(scanExitCode(report, options.strict));
    });
}
