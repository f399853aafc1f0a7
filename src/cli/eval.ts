import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import {
  CONFIGURATION_GRAMMAR,
  createScorers,
  parseConfigurationNames,
  type ScorerBackends,
} from '../eval/create-scorers.js';
import { DATASET_CATALOG } from '../eval/dataset-catalog.js';
import type { LoadedSet } from '../eval/dataset-row.js';
import { formatReportTable } from '../eval/format-report.js';
import { datasetEntry, isDatasetFile, loadDataset } from '../eval/load-datasets.js';
import {
  type EvaluationReport,
  runEvaluation,
  runEvaluationAsync,
  triggerBenignSet,
} from '../eval/run-evaluation.js';
import { TRIGGER_BENIGN_SENTENCES } from '../eval/trigger-benign.js';
import { loadPolicy } from '../policy/load-policy.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import {
  addBackendOptions,
  BACKEND_HELP,
  type BackendFlags,
  type OpenedBackends,
  openBackendsFromFlags,
} from './backend-options.js';
import type { CommandContext } from './command.js';

const EXAMPLES = `
Examples:
  aegis eval --data ../shared/data
  aegis eval --data ../shared/data --sets tensor-trust,nq-open --compare rules,rules+model
  aegis eval --sets ./my-prompts.jsonl,trigger-benign --format json > results.json
  aegis eval --data ../shared/data --sets nq-open --policy strict
  aegis eval --sets ./mine.jsonl --judge-url http://127.0.0.1:11434/v1 --judge-model llama-guard3:1b \\
             --compare rules+model,rules+model+judge,judge
  aegis eval --data ../shared/data --sets nq-open --onnx-model ./models/prompt-guard-2 --concurrency 2

Sets: ${DATASET_CATALOG.map((entry) => entry.name).join(', ')}, trigger-benign (built in),
      or a path to a JSONL file of {"text","label"} lines (label 0/1, true/false, "attack"/"benign")
      or a PINT-format YAML file. Default: every catalog set plus trigger-benign.
Configurations (--compare): ${CONFIGURATION_GRAMMAR}.
  Default rules,rules+model; with back-ends also rules+model+onnx and/or rules+model+judge.
  Rows of back-end configurations are scored with the back-end, --concurrency at a time; the JSON report
  gives their back-end failures (results.<name>.backendFailures). A back-end that fails on each of the
  first 10 rows stops the run (exit 2).
--data is needed only for catalog sets (the folder holding injection/ and benign/, see the data README).
Progress goes to standard error; the JSON report on standard output is stable across commits.
Exit status: 0 report written (unreadable rows are listed in it); 2 bad option, unknown or missing set,
unreadable policy, model or dataset file, bad back-end configuration, back-end down.
${BACKEND_HELP}`;

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

/** `rules,rules+model`, plus `rules+model+onnx` / `rules+model+judge` for each back-end given. */
function defaultCompare(backends: OpenedBackends | undefined): string[] {
  return [
    'rules',
    'rules+model',
    ...(backends?.onnx ? ['rules+model+onnx'] : []),
    ...(backends?.judge ? ['rules+model+judge'] : []),
  ];
}

/** `aegis eval`: measures injection detection on datasets, per set and pooled. */
export function registerEval(program: Command, _context: CommandContext): void {
  const command = program
    .command('eval')
    .description('Measure injection detection (rules, learned model) on labelled datasets.')
    .option('--data <dir>', 'data folder of the catalog sets (e.g. ../shared/data)')
    .option('--sets <names>', 'comma-separated set names or file paths')
    .option(
      '--policy <file|preset>',
      'policy file (YAML or JSON) or preset (strict, balanced, permissive) whose injection thresholds decide flagging (default balanced)',
    )
    .option(
      '--compare <configs>',
      'comma-separated configurations to compare (default rules,rules+model, plus +onnx/+judge when given)',
    )
    .option('--model <file>', 'model weights to use instead of models/injection-v1.bin')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  addBackendOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(
      async (
        options: {
          data?: string;
          sets?: string;
          policy?: string;
          compare?: string;
          model?: string;
          format: string;
        } & BackendFlags,
      ) => {
        const names = splitList(options.sets) ?? [
          ...DATASET_CATALOG.map((entry) => entry.name),
          'trigger-benign',
        ];
        const requested = options.compare === undefined ? undefined : splitList(options.compare);
        if (options.compare !== undefined && !requested)
          throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, '--compare needs at least one configuration');
        // Every name is checked before the first (possibly slow) load, so a typo fails at once.
        if (requested) {
          rejectRepeated('--compare', requested);
          parseConfigurationNames(requested);
        }
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
        const backends = await openBackendsFromFlags(options, process.env);
        const configurations = requested ?? defaultCompare(backends);
        const scorerBackends: ScorerBackends = {
          ...(backends?.onnx ? { onnx: backends.onnx } : {}),
          ...(backends?.judge ? { judge: backends.judge } : {}),
        };
        const scorers = createScorers({
          names: configurations,
          ...(policy === undefined ? {} : { policy }),
          ...(options.model === undefined ? {} : { modelPath: options.model }),
          backends: scorerBackends,
        });
        const progress = (message: string): void => {
          process.stderr.write(message);
        };
        const unused = Object.keys(scorerBackends).filter(
          (name) => !configurations.some((configuration) => configuration.split('+').includes(name)),
        );
        if (unused.length > 0) {
          progress(
            `aegis: the ${unused.join(' and ')} back-end is configured but no --compare configuration runs it (add e.g. rules+model+${unused[0]})\n`,
          );
        }
        const sets: LoadedSet[] = names.map((name) => {
          progress(`loading ${name}\n`);
          return name === 'trigger-benign'
            ? triggerBenignSet(TRIGGER_BENIGN_SENTENCES)
            : loadDataset({ dataDir: options.data ?? '', name });
        });
        const interactive = process.stderr.isTTY === true;
        let lastDone = -1;
        let lastShown = Date.now();
        const onProgress = (done: number, total: number): void => {
          // A count redrawn in place on a terminal (at most ten times a second); in a log (not a terminal)
          // the final count once, and a line every 30 s of a slow back-end run, so the log holds no
          // carriage returns or repeated lines.
          if (done === lastDone) return;
          lastDone = done;
          const now = Date.now();
          if (done !== total && now - lastShown < (interactive ? 100 : 30_000)) return;
          lastShown = now;
          if (interactive) progress(`\rscored ${done}/${total}${done === total ? '\n' : ''}`);
          else progress(`scored ${done}/${total}\n`);
        };
        const report: EvaluationReport =
          backends === undefined || scorers.every((scorer) => scorer.backends === undefined)
            ? runEvaluation({ sets, scorers, onProgress })
            : await runEvaluationAsync({ sets, scorers, concurrency: backends.concurrency, onProgress });
        for (const scorer of report.scorers) {
          const failures = report.results[scorer]?.backendFailures;
          if (failures?.first === undefined) continue;
          const { detector, code, message } = failures.first;
          progress(
            `aegis: configuration ${scorer}: back-end ${detector} failed on ${failures.rows} row(s), counted as the guard decided them; first: ${message} [${code}]\n`,
          );
        }
        // A reader that stops early (`| head`) closes the pipe: not an error of the evaluation. The listener
        // stays, as the closed pipe is reported after the write returns.
        process.stdout.on('error', ignoreClosedPipe);
        process.stdout.write(
          options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReportTable(report),
        );
      },
    );
}
