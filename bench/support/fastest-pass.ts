/** Wall-clock and CPU seconds of one pass. */
export interface Timing {
  seconds: number;
  cpuSeconds: number;
}

/**
 * Runs `pass` once to warm up (JIT, lazy tables), then until at least `minimumSeconds` have passed, and
 * returns the pass with the least CPU time. CPU time is reported beside wall time because benchmarks often
 * share a busy machine: CPU seconds of this single-threaded process are what "MB/s on one core" means.
 */
export function fastestPass(pass: () => void, minimumSeconds: number): Timing {
  pass();
  let best: Timing = { seconds: Number.POSITIVE_INFINITY, cpuSeconds: Number.POSITIVE_INFINITY };
  const started = process.hrtime.bigint();
  do {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    pass();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (cpuSeconds < best.cpuSeconds) best = { seconds, cpuSeconds };
  } while (Number(process.hrtime.bigint() - started) / 1e9 < minimumSeconds);
  return best;
}
