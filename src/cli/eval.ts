import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { createScorers, SCORER_NAMES } from '../eval/create-scorers.js';
import { DATASET_CATALOG } from '../eval/dataset-catalog.js';
import type { LoadedSet } from '../eval/dataset-row.js';
import { formatReportTable } from '../eval/format-report.js';
import { datasetEntry, isDatasetFile, loadDataset } from '../eval/load-datasets.js';
import { runEvaluation, triggerBenignSet } from '../eval/run-evaluation.js';
import { TRIGGER_BENIGN_SENTENCES } from '../eval/trigger-benign.js';
import { loadPolicy } from '../policy/load-policy.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { CommandContext } from './command.js';

const EXAMPLES = `
Examples:
  aegis eval --data ../shared/data
  aegis eval --data ../shared/data --sets tensor-trust,nq-open --compare rules,rules+model
  aegis eval --sets ./my-prompts.jsonl,trigger-benign --format json > results.json
  aegis eval --data ../shared/data --sets nq-open --policy strict

Sets: ${DATASET_CATALOG.map((entry) => entry.name).join(', ')}, trigger-benign (built in),
      or a path to a JSONL file of {"text","label"} lines (label 0/1, true/false, "attack"/"benign")
      or a PINT-format YAML file. Default: every catalog set plus trigger-benign.
Configurations (--compare): ${SCORER_NAMES.join(', ')} (default rules,rules+model).
--data is needed only for catalog sets (the folder holding injection/ and benign/, see the data README).
Progress goes to standard error; the JSON report on standard output is stable across commits.
Exit status: 0 report written (unreadable rows are listed in it); 2 bad option, unknown or missing set,
unreadable policy, model or dataset file.
`;

function splitList(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items && items.length > 0 ? items : undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

function rejectRepeated(option: string, names: readonly string[]): void {
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, `${option} lists "${repeated}" more than once`);
  }
}

/** `aegis eval`: measures injection detection on datasets, per set and pooled. */
export function registerEval(program: Command, _context: CommandContext): void {
  program
    .command('eval')
    .description('Measure injection detection (rules, learned model) on labelled datasets.')
    .option('--data <dir>', 'data folder of the catalog sets (e.g. ../shared/data)')
    .option('--sets <names>', 'comma-separated set names or file paths')
    .option(
      '--policy <file|preset>',
      'policy file (YAML or JSON) or preset (strict, balanced, permissive) whose injection thresholds decide flagging (default balanced)',
    )
    .option('--compare <configs>', 'comma-separated configurations to compare', 'rules,rules+model')
    .option('--model <file>', 'model weights to use instead of models/injection-v1.bin')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', EXAMPLES)
    .action(
      (options: {
        data?: string;
        sets?: string;
        policy?: string;
        compare: string;
        model?: string;
        format: string;
      }) => {
        const names = splitList(options.sets) ?? [
          ...DATASET_CATALOG.map((entry) => entry.name),
          'trigger-benign',
        ];
        const configurations = splitList(options.compare);
        if (!configurations)
          throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, '--compare needs at least one configuration');
        // Every name is checked before the first (possibly slow) load, so a typo fails at once.
        rejectRepeated('--compare', configurations);
        rejectRepeated('--sets', names);
        const catalogNames = names.filter((name) => name !== 'trigger-benign' && !isDatasetFile(name));
        for (const name of catalogNames) datasetEntry(name);
        if (catalogNames.length > 0 && options.data === undefined) {
          throw new AegisError(
            ERROR_CODES.INVALID_ARGUMENT,
            `--data <dir> is needed for the catalog sets (${catalogNames.length > 3 ? `${catalogNames.slice(0, 3).join(', ')}, …` : catalogNames.join(', ')}): the folder holding injection/ and benign/`,
          );
        }
        if (catalogNames.length > 0 && !isFolder(options.data ?? '')) {
          // Said once about the folder itself, rather than as "dataset X is missing, download it".
          throw new AegisError(
            ERROR_CODES.DATASET_MISSING,
            `data folder ${resolve(options.data ?? '')} does not exist or is not a folder (expected the folder holding injection/ and benign/)`,
            { details: { folder: resolve(options.data ?? '') } },
          );
        }
        const policy = options.policy === undefined ? undefined : loadPolicy(options.policy);
        const scorers = createScorers({
          names: configurations,
          ...(policy === undefined ? {} : { policy }),
          ...(options.model === undefined ? {} : { modelPath: options.model }),
        });
        const progress = (message: string): void => {
          process.stderr.write(message);
        };
        const sets: LoadedSet[] = names.map((name) => {
          progress(`loading ${name}\n`);
          return name === 'trigger-benign'
            ? triggerBenignSet(TRIGGER_BENIGN_SENTENCES)
            : loadDataset({ dataDir: options.data ?? '', name });
        });
        const interactive = process.stderr.isTTY === true;
        let lastDone = -1;
        const report = runEvaluation({
          sets,
          scorers,
          onProgress: (done, total) => {
            // A count redrawn in place on a terminal; in a log (not a terminal) only the final count,
            // once, so the log holds no carriage returns or repeated lines.
            if (done === lastDone) return;
            lastDone = done;
            if (interactive) progress(`\rscored ${done}/${total}${done === total ? '\n' : ''}`);
            else if (done === total) progress(`scored ${done}/${total}\n`);
          },
        });
        // A reader that stops early (`| head`) closes the pipe: not an error of the evaluation. The listener
        // stays, as the closed pipe is reported after the write returns.
        process.stdout.on('error', ignoreClosedPipe);
        process.stdout.write(
          options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReportTable(report),
        );
      },
    );
}
