// Event-loop blocking by the audit log (`npm run bench -- audit-log`): records appended at a steady rate,
// as the gateway appends them, with the in-thread writer and the worker writer in alternate rounds, and a
// baseline round that runs the same pacing loop without appending. Reports the event-loop delay
// (perf_hooks.monitorEventLoopDelay, 1 ms resolution), the time spent inside `append`, the share of time
// the main thread was busy, and the CPU time per record of the whole process (all threads).
//
// BENCH_AUDIT_RATE (records/s, default 3000), BENCH_AUDIT_SECONDS (per round, default 2), BENCH_ROUNDS
// (default 2).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createAuditLog } from '../src/store/audit-log.js';
import type { AuditEntry } from '../src/store/audit-record.js';
import { openDatabase } from '../src/store/open-database.js';

type Writer = 'none' | 'thread' | 'worker';

const prompt = 'Plan a three-day trip to Lisbon for <PERSON_1>, reachable at <EMAIL_ADDRESS_1>. '.repeat(8);
const answer =
  'Day 1: Alfama and the castle; day 2: Belém; day 3: Sintra. Book the palace tickets ahead. '.repeat(4);

function entry(index: number): AuditEntry {
  return {
    requestId: `bench-${index}`,
    keyId: 'key_bench',
    method: 'POST',
    route: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    upstream: 'mock',
    status: 200,
    latencyMs: 1.234,
    input: {
      action: 'redact',
      findings: [
        { detector: 'pii', type: 'EMAIL_ADDRESS', severity: 'medium', score: 0.9, start: 40, end: 57 },
      ],
    },
    output: { action: 'allow', findings: [] },
    tokens: { input: 120, output: 80 },
    payload: { redacted: { messages: [{ role: 'user', content: prompt }], answer } },
  };
}

/** CPU ms per thread of this process (Linux /proc; empty elsewhere), keyed by thread id. */
function threadCpu(): Map<string, number> {
  const times = new Map<string, number>();
  if (!existsSync('/proc/self/task')) return times;
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 10 ms.
      times.set(id, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}

const ms = (nanoseconds: number) => Number((nanoseconds / 1e6).toFixed(3));
const micros = (nanoseconds: number) => Number((nanoseconds / 1e3).toFixed(2));

async function round(writer: Writer, rate: number, seconds: number): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-bench-audit-'));
  const database = openDatabase({ dataDir });
  const log =
    writer === 'none'
      ? undefined
      : createAuditLog({
          database,
          writer,
          onWarning: (message) => {
            throw new Error(message);
          },
        });
  try {
    for (let index = 0; index < 300; index += 1) log?.append(entry(index));
    log?.flush();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const appendTimes = createHistogram();
    delay.enable();
    const utilization = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const threadsBefore = threadCpu();
    const start = performance.now();
    let appended = 0;
    await new Promise<void>((resolve) => {
      const step = () => {
        const elapsed = performance.now() - start;
        const due = Math.min(Math.floor((elapsed / 1000) * rate), rate * seconds);
        while (appended < due) {
          appended += 1;
          if (log !== undefined) {
            const before = process.hrtime.bigint();
            log.append(entry(appended));
            appendTimes.record(Math.max(1, Number(process.hrtime.bigint() - before)));
          }
        }
        if (appended >= rate * seconds) resolve();
        else setTimeout(step, 1);
      };
      step();
    });
    delay.disable();
    const busy = performance.eventLoopUtilization(utilization);
    const flushStart = process.hrtime.bigint();
    log?.flush();
    const flushNanoseconds = Number(process.hrtime.bigint() - flushStart);
    const used = process.cpuUsage(cpu);
    let mainThreadMs = 0;
    let otherThreadsMs = 0;
    for (const [id, total] of threadCpu()) {
      const spent = total - (threadsBefore.get(id) ?? 0);
      if (id === String(process.pid)) mainThreadMs += spent;
      else otherThreadsMs += spent;
    }
    const stats = log?.stats();
    return {
      name: `audit-append-${writer}`,
      writer,
      rate,
      records: appended,
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      appendMicros:
        log === undefined
          ? null
          : {
              mean: micros(appendTimes.mean),
              p99: micros(appendTimes.percentile(99)),
              max: micros(appendTimes.max),
            },
      mainThreadBusy: Number(busy.utilization.toFixed(4)),
      processCpuMicrosPerRecord: Number(((used.user + used.system) / appended).toFixed(2)),
      of_which_system: Number((used.system / appended).toFixed(2)),
      mainThreadCpuMicrosPerRecord: Number(((mainThreadMs * 1000) / appended).toFixed(1)),
      otherThreadsCpuMicrosPerRecord: Number(((otherThreadsMs * 1000) / appended).toFixed(1)),
      finalFlushMs: ms(flushNanoseconds),
      written: stats?.written ?? 0,
      appendWaits: stats?.appendWaits ?? 0,
      appendWaitMs: stats?.appendWaitMs ?? 0,
    };
  } finally {
    log?.close();
    database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the rounds: baseline, in-thread writer and worker writer, alternating. */
export async function run(): Promise<Record<string, unknown>[]> {
  const rate = Number(process.env.BENCH_AUDIT_RATE ?? 3000);
  const seconds = Number(process.env.BENCH_AUDIT_SECONDS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const results: Record<string, unknown>[] = [];
  for (let index = 0; index < rounds; index += 1) {
    const order: Writer[] = index % 2 === 0 ? ['none', 'thread', 'worker'] : ['none', 'worker', 'thread'];
    for (const writer of order) results.push({ round: index + 1, ...(await round(writer, rate, seconds)) });
  }
  return results;
}
