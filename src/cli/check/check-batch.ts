import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { mapWithConcurrency } from '../../eval/map-with-concurrency.js';
import type { CheckOptions, Guard } from '../../guard/types.js';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { type Severity, severityAtLeast } from '../../spec/severity.js';
import type { Verdict } from '../../spec/verdict.js';
import { formatSummaryLine } from './format-report.js';
import { judgeLine, type LineOutcome, parseLine, resultRow } from './judge-line.js';
import { type InputLine, readLines } from './read-lines.js';

/** Options of a JSONL batch check. */
export interface BatchOptions {
  guard: Guard;
  /** Path of the input file, or `-` for standard input. */
  input: string;
  format: 'jsonl' | 'json' | 'text';
  role: Role;
  /** Detector filter, system prompt and canaries for every line. */
  checkOptions: Omit<CheckOptions, 'role' | 'vault'>;
  failOn: Severity | undefined;
  strict: boolean;
  maxLineBytes: number;
  output: Writable;
  /** Where progress goes; only when it is a terminal. */
  progress: (NodeJS.WriteStream & { isTTY?: boolean }) | undefined;
  stdin: Readable;
  /**
   * Asynchronous back-ends (ONNX classifier, LLM judge) the guard was created with: lines are then checked
   * with `guard.checkAsync`, `concurrency` at a time, in input order. Absent: `guard.check`, as before.
   */
  backends?: { ids: ReadonlySet<string>; concurrency: number };
}

/** Counts of a finished batch. */
export interface BatchResult {
  lines: number;
  errors: number;
  /** True when `--fail-on` was given and some finding met it. */
  failOnMet: boolean;
  /** True when `--strict` stopped at a bad line. */
  stopped: boolean;
  /** True when the reader of the output went away (e.g. `| head`); the batch stops quietly. */
  outputClosed: boolean;
  /** Lines on which a back-end failed, and the first such failure. */
  backendFailures: number;
  firstBackendFailure?: { detector: string; code: string; message: string };
}

/** The failure of a back-end recorded in a verdict, if any. */
export function backendFailure(
  verdict: Verdict,
  ids: ReadonlySet<string>,
): { detector: string; code: string; message: string } | undefined {
  return verdict.errors?.find((error) => ids.has(error.detector));
}

function groupsOf<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}

/** The outcomes of one batch of lines with `guard.check`; with `--strict`, up to the first bad line. */
function checkLines(options: BatchOptions, lines: readonly InputLine[]): LineOutcome[] {
  const outcomes: LineOutcome[] = [];
  for (const line of lines) {
    const outcome = judgeLine({
      line,
      guard: options.guard,
      role: options.role,
      checkOptions: options.checkOptions,
    });
    if (outcome === undefined) continue;
    outcomes.push(outcome);
    if (outcome.kind === 'error' && options.strict) break;
  }
  return outcomes;
}

/**
 * The same with `guard.checkAsync`: lines are parsed first (so `--strict` sends nothing past the first bad
 * line to a back-end), then checked with bounded concurrency; outcomes keep input order.
 */
async function checkLinesAsync(
  options: BatchOptions,
  lines: readonly InputLine[],
  concurrency: number,
): Promise<LineOutcome[]> {
  const parsed = [];
  for (const line of lines) {
    const entry = parseLine({ line, role: options.role });
    if (entry === undefined) continue;
    parsed.push(entry);
    if (entry.kind === 'error' && options.strict) break;
  }
  return mapWithConcurrency({
    items: parsed,
    concurrency,
    map: async (entry): Promise<LineOutcome> => {
      if (entry.kind === 'error') return entry;
      const verdict = await options.guard.checkAsync(entry.text, {
        role: entry.role,
        vault: options.guard.createVault(),
        ...options.checkOptions,
      });
      return { kind: 'verdict', id: entry.id, verdict, row: resultRow(entry.id, verdict) };
    },
  });
}

/** Writes with back-pressure; false when the output is closed (EPIPE), so the caller can stop. */
async function write(output: Writable, text: string): Promise<boolean> {
  try {
    if (!output.write(text)) await once(output, 'drain');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return false;
    throw error;
  }
}

/** Opens the input, turning "cannot open" into one clear `INPUT_UNREADABLE` before any output. */
async function openInput(path: string, stdin: Readable): Promise<Readable> {
  if (path === '-') return stdin;
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.INPUT_UNREADABLE,
      `cannot read input file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
  return stream;
}

/**
 * Checks a JSONL file line by line, writing one row per input line in order. Reads with a stream and
 * honours back-pressure on the output, so memory stays flat whatever the input size.
 */
export async function checkBatch(options: BatchOptions): Promise<BatchResult> {
  const stream = await openInput(options.input, options.stdin);
  const result: BatchResult = {
    lines: 0,
    errors: 0,
    failOnMet: false,
    stopped: false,
    outputClosed: false,
    backendFailures: 0,
  };
  const backends = options.backends;
  // A closed pipe is also reported through 'error' events, possibly after the batch ends; the
  // listener stays so such a late event cannot crash the process.
  const ignorePipeError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
  };
  options.output.on('error', ignorePipeError);
  const showProgress = options.progress?.isTTY === true;
  let bytesSeen = 0;
  let lastProgress = Date.now();
  try {
    reading: for await (const chunk of readLines({
      stream,
      maxLineBytes: options.maxLineBytes,
      name: options.input,
      onChunk: (bytes) => {
        bytesSeen += bytes;
      },
    })) {
      // With back-ends a chunk (up to 256 KB of lines) is checked in small groups, so output and progress
      // keep flowing while a slow judge answers.
      for (const batch of backends ? groupsOf(chunk, backends.concurrency * 4) : [chunk]) {
        let out = '';
        const outcomes = backends
          ? await checkLinesAsync(options, batch, backends.concurrency)
          : checkLines(options, batch);
        for (const outcome of outcomes) {
          result.lines++;
          if (outcome.kind === 'error') {
            result.errors++;
            out += `${JSON.stringify(outcome.row)}\n`;
            if (options.strict) {
              result.stopped = true;
              break;
            }
            continue;
          }
          const failed = backends ? backendFailure(outcome.verdict, backends.ids) : undefined;
          if (failed !== undefined) {
            result.backendFailures++;
            result.firstBackendFailure ??= failed;
          }
          if (options.failOn !== undefined && !result.failOnMet) {
            const threshold = options.failOn;
            // A back-end that failed closed blocked the line: under --fail-on that fails the run too.
            result.failOnMet =
              (failed !== undefined && outcome.verdict.action === 'block') ||
              outcome.verdict.findings.some((finding) => severityAtLeast(finding.severity, threshold));
          }
          if (options.format === 'text') out += formatSummaryLine(outcome.id, outcome.verdict);
          else if (options.format === 'json')
            out += `${JSON.stringify({ id: outcome.id, ...outcome.verdict })}\n`;
          else out += `${JSON.stringify(outcome.row)}\n`;
        }
        if (out.length > 0 && !(await write(options.output, out))) {
          result.outputClosed = true;
          break reading;
        }
        if (showProgress && Date.now() - lastProgress > 500) {
          lastProgress = Date.now();
          options.progress?.write(`\raegis check: ${result.lines} lines, ${(bytesSeen / 1e6).toFixed(1)} MB`);
        }
        if (result.stopped) break reading;
      }
    }
  } finally {
    if (stream !== options.stdin) stream.destroy();
    if (showProgress)
      options.progress?.write(`\raegis check: ${result.lines} lines, ${(bytesSeen / 1e6).toFixed(1)} MB\n`);
  }
  return result;
}
