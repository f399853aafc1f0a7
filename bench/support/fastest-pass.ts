/** Wall-clock and CPU seconds of one pass. */
export interface Timing {
  seconds: number;
  cpuSeconds: number;
  /** CPU seconds of the very first pass (cold: regexes and functions not yet compiled). */
  firstCpuSeconds: number;
}

/** Options of `fastestPass` beyond the minimum measuring time. */
export interface FastestPassOptions {
  /**
   * Seconds of passes run before measuring, after the first (default 0). V8 compiles hot functions
   * and regexes in tiers, on background threads whose CPU time counts for this process, and the guard
   * runs hundreds of them: over a 4 MB corpus it reaches its steady speed only after 8–10 passes, so a
   * throughput meant for a long-running process needs them out of the way.
   */
  warmupSeconds?: number;
}

/**
 * Runs `pass` once (the cold pass, reported apart), then for `warmupSeconds` more, then until at least
 * `minimumSeconds` have passed, and returns the measured pass with the least CPU time. CPU time is
 * reported beside wall time because benchmarks often share a busy machine: CPU seconds of this
 * single-threaded process are what "MB/s on one core" means.
 */
export function fastestPass(
  pass: () => void,
  minimumSeconds: number,
  options: FastestPassOptions = {},
): Timing {
  const firstCpu = process.cpuUsage();
  pass();
  const firstUsed = process.cpuUsage(firstCpu);
  const firstCpuSeconds = (firstUsed.user + firstUsed.system) / 1e6;
  const warmupSeconds = options.warmupSeconds ?? 0;
  const warmupStarted = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - warmupStarted) / 1e9 < warmupSeconds) pass();
  let best: Timing = {
    seconds: Number.POSITIVE_INFINITY,
    cpuSeconds: Number.POSITIVE_INFINITY,
    firstCpuSeconds,
  };
  const started = process.hrtime.bigint();
  do {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    pass();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (cpuSeconds < best.cpuSeconds) best = { seconds, cpuSeconds, firstCpuSeconds };
  } while (Number(process.hrtime.bigint() - started) / 1e9 < minimumSeconds);
  return best;
}
