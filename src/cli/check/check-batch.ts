import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { CheckOptions, Guard } from '../../guard/types.js';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { type Severity, severityAtLeast } from '../../spec/severity.js';
import { formatSummaryLine } from './format-report.js';
import { judgeLine } from './judge-line.js';
import { readLines } from './read-lines.js';

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
  const result: BatchResult = { lines: 0, errors: 0, failOnMet: false, stopped: false, outputClosed: false };
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
    for await (const batch of readLines({
      stream,
      maxLineBytes: options.maxLineBytes,
      name: options.input,
      onChunk: (bytes) => {
        bytesSeen += bytes;
      },
    })) {
      let out = '';
      for (const line of batch) {
        const outcome = judgeLine({
          line,
          guard: options.guard,
          role: options.role,
          checkOptions: options.checkOptions,
        });
        if (outcome === undefined) continue;
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
        if (options.failOn !== undefined && !result.failOnMet) {
          const threshold = options.failOn;
          result.failOnMet = outcome.verdict.findings.some((finding) =>
            severityAtLeast(finding.severity, threshold),
          );
        }
        if (options.format === 'text') out += formatSummaryLine(outcome.id, outcome.verdict);
        else if (options.format === 'json')
          out += `${JSON.stringify({ id: outcome.id, ...outcome.verdict })}\n`;
        else out += `${JSON.stringify(outcome.row)}\n`;
      }
      if (out.length > 0 && !(await write(options.output, out))) {
        result.outputClosed = true;
        break;
      }
      if (showProgress && Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        options.progress?.write(`\raegis check: ${result.lines} lines, ${(bytesSeen / 1e6).toFixed(1)} MB`);
      }
      if (result.stopped) break;
    }
  } finally {
    if (stream !== options.stdin) stream.destroy();
    if (showProgress)
      options.progress?.write(`\raegis check: ${result.lines} lines, ${(bytesSeen / 1e6).toFixed(1)} MB\n`);
  }
  return result;
}
