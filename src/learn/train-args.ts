import { parseArgs } from 'node:util';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** How `npm run train` is called; printed with every argument error and for `--help`. */
export const TRAIN_USAGE = `usage: npm run train -- --data ../shared/data [options]

  --data <dir>          data folder holding the train-ok sets (required)
  --seed <n>            random seed, an integer (default 1)
  --out <dir>           where injection-v1.bin and MODEL_CARD.md are written (default models)
  --hyper <e,lr,l2>     skip the grid: epochs,learningRate,l2, e.g. 12,0.05,0.00001
  --cache <file>        reuse out-of-fold scores saved by an earlier run with the same settings
  --window <chars>      model window in UTF-16 units (default 2048), for a validation comparison
  --features <b,lo,hi>  hash bits,charMin,charMax of the feature space, for a validation comparison
  --grammar-rows <n>    rows per half of the hijack / extraction grammar (default 0)
  -h, --help            show this help`;

/** Parsed and checked arguments of the training script. */
export interface TrainArgs {
  help: boolean;
  data: string;
  seed: number;
  out: string;
  hyper?: { epochs: number; learningRate: number; l2: number };
  cache?: string;
  window?: number;
  features?: { bits: number; charMin: number; charMax: number };
  grammarRows?: number;
}

function usageError(message: string, cause?: unknown): AegisError {
  return new AegisError(ERROR_CODES.INVALID_ARGUMENT, `${message}\n${TRAIN_USAGE}`, { cause });
}

function integer(name: string, value: string, minimum: number): number {
  // Whole decimal numbers only: `parseInt` would read "12abc" as 12 and "abc" as NaN without a word.
  if (!/^-?\d{1,15}$/.test(value.trim()) || Number(value) < minimum) {
    throw usageError(`--${name} must be an integer of at least ${minimum}, not "${value}"`);
  }
  return Number(value);
}

function numbers(name: string, value: string, count: number): number[] {
  const parts = value.split(',').map((part) => Number(part.trim()));
  if (
    parts.length !== count ||
    !parts.every(Number.isFinite) ||
    value.split(',').some((part) => part.trim() === '')
  ) {
    throw usageError(`--${name} takes ${count} comma-separated numbers, not "${value}"`);
  }
  return parts;
}

/** Parses the training script's arguments; any mistake is `AEGIS_INVALID_ARGUMENT` with the usage. */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        data: { type: 'string' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: 'models' },
        hyper: { type: 'string' },
        cache: { type: 'string' },
        window: { type: 'string' },
        features: { type: 'string' },
        'grammar-rows': { type: 'string' },
      },
    }));
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error), error);
  }
  const text = (name: string): string | undefined => values[name] as string | undefined;
  if (values.help === true) return { help: true, data: '', seed: 1, out: 'models' };
  const data = text('data');
  if (data === undefined || data.trim() === '') throw usageError('--data is required');
  const args: TrainArgs = {
    help: false,
    data,
    seed: integer('seed', text('seed') ?? '1', Number.MIN_SAFE_INTEGER),
    out: text('out') ?? 'models',
  };
  const hyper = text('hyper');
  if (hyper !== undefined) {
    const [epochs, learningRate, l2] = numbers('hyper', hyper, 3) as [number, number, number];
    if (!Number.isInteger(epochs) || epochs < 1 || learningRate <= 0 || l2 < 0) {
      throw usageError(`--hyper needs epochs ≥ 1, learningRate > 0 and l2 ≥ 0, not "${hyper}"`);
    }
    args.hyper = { epochs, learningRate, l2 };
  }
  const cache = text('cache');
  if (cache !== undefined) args.cache = cache;
  const window = text('window');
  if (window !== undefined) args.window = integer('window', window, 1);
  const features = text('features');
  if (features !== undefined) {
    const [bits, charMin, charMax] = numbers('features', features, 3) as [number, number, number];
    if (
      ![bits, charMin, charMax].every(Number.isInteger) ||
      bits < 1 ||
      bits > 30 ||
      charMin < 1 ||
      charMax < charMin
    ) {
      throw usageError(
        `--features needs integers bits (1–30), charMin ≥ 1 and charMax ≥ charMin, not "${features}"`,
      );
    }
    args.features = { bits, charMin, charMax };
  }
  const grammarRows = text('grammar-rows');
  if (grammarRows !== undefined) args.grammarRows = integer('grammar-rows', grammarRows, 0);
  return args;
}
