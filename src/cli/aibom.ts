import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { scanPaths } from '../scan/scan-paths.js';
import { createAibom } from '../sign/aibom.js';
import type { CommandContext } from './command.js';
import { VERSION } from './version.js';

/** `aegis aibom`: a CycloneDX 1.6 ML-BOM of a model directory, with file hashes and scan results. */
export function registerAibom(program: Command, context: CommandContext): void {
  program
    .command('aibom')
    .description(
      'Write a CycloneDX 1.6 ML-BOM for a model: files, SHA-256 hashes, formats and scan verdicts.',
    )
    .argument('<model>', 'model directory or single model file')
    .option('--output <file>', 'write the BOM to this file (default: standard output)')
    .option('--allow-symlinks', 'follow symbolic links', false)
    .addHelpText('after', '\nExample:\n  aegis aibom ./my-model --output bom.json\n')
    .action(async (model: string, options) => {
      const progress = process.stderr.isTTY;
      const bom = await createAibom({
        modelPath: model,
        toolVersion: VERSION,
        allowSymlinks: options.allowSymlinks,
        scan: (paths) =>
          scanPaths(paths, {
            ...(progress
              ? {
                  onEvent: (event) => {
                    if (event.type === 'file-done')
                      process.stderr.write(`\rscanned ${event.index + 1}/${event.total}`);
                  },
                }
              : {}),
          }),
      });
      if (progress) process.stderr.write('\n');
      const text = `${JSON.stringify(bom, null, 2)}\n`;
      if (options.output) {
        await writeFile(options.output, text);
        process.stderr.write(`wrote ${options.output}\n`);
      } else process.stdout.write(text);
      context.setExitCode(0);
    });
}
