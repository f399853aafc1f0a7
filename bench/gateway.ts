// Gateway benchmark (`npm run bench:gateway`, or `npm run bench -- gateway`).
//
// A mock OpenAI upstream and the gateway each run in their own process (as in a deployment; they share
// the machine's cores with the load generator), and the load generator sends the same chat-completion
// request directly to the upstream and through the gateway (balanced policy, built-in detectors, input
// and output guard on) at concurrency 1 and 32. Prints one JSON object per line: requests per second and
// latency p50/p99 for both, and the latency the gateway adds. Bounded by request count and time.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import type { Guard } from '../src/guard/types.js';

const SELF = fileURLToPath(import.meta.url);
const PROMPT =
  'You are helping with a travel plan. I would like to visit Lisbon in late spring for five days, ' +
  'with two days of museums, one day trip to Sintra, and some time for local food. Please suggest an ' +
  'itinerary with approximate walking distances, and mention which places need tickets in advance.';
const SYSTEM_PROMPT =
  'You are the travel assistant of a small agency. Answer in a friendly, concise tone. Suggest itineraries ' +
  'with realistic walking distances, point out when tickets must be booked ahead, and never invent prices. ' +
  'When the traveller mentions accessibility needs, adapt every suggestion to them.';
// The system prompt repeats on every request (as in real applications); the user prompt differs each
// time, so nothing about the user text can be cached between requests.
const BODY_HEAD = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: '' },
  ],
}).slice(0, -4);
let requestCounter = 0;
function requestBody(stream: boolean): string {
  requestCounter++;
  return `${BODY_HEAD}${PROMPT} (request ${requestCounter})"}]${stream ? ',"stream":true' : ''}}`;
}
const ANSWER = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content:
          'Day 1: Belém (Jerónimos Monastery, tower) — about 3 km of walking. Day 2: Alfama and the castle. ' +
          'Day 3: Sintra by train, book Pena Palace tickets ahead. Day 4: Gulbenkian museum. Day 5: markets.',
      },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 60, completion_tokens: 60, total_tokens: 120 },
});

const STREAM_TEXT =
  (JSON.parse(ANSWER) as { choices: { message: { content: string } }[] }).choices[0]?.message.content ?? '';
// The answer as an OpenAI chat stream of 4-character deltas (about 50 events), then `[DONE]`.
const STREAM_EVENTS = [
  ...Array.from({ length: Math.ceil(STREAM_TEXT.length / 4) }, (_, index) => ({
    content: STREAM_TEXT.slice(index * 4, index * 4 + 4),
    finish: null as string | null,
  })),
  { content: '', finish: 'stop' },
]
  .map(
    (piece) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: piece.content }, finish_reason: piece.finish }] })}\n\n`,
  )
  .join('')
  .concat('data: [DONE]\n\n');

/** CPU time (µs) the gateway process spent inside guard calls (see `timedGuard`). */
let guardCpuMicros = 0;

/**
 * Children answer `cpu` messages with their CPU time (µs), a measure that machine load does not skew, and
 * the part of it spent inside guard calls.
 */
function answerCpuQueries(): void {
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpu: usage.user + usage.system, guard: guardCpuMicros });
    }
  });
}

interface CpuReading {
  cpu: number;
  guard: number;
}

function cpuOf(child: ChildProcess): Promise<CpuReading> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      const reading = message as Partial<CpuReading>;
      if (reading.cpu === undefined) return;
      child.off('message', onMessage);
      resolve({ cpu: reading.cpu, guard: reading.guard ?? 0 });
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

// A random one in GUARD_SAMPLE_EVERY guard calls is timed with `process.cpuUsage()` and counted that many
// times: `getrusage` costs 2-6 µs on a busy 2-vCPU virtual machine (two per timed call; about 6 guard
// calls per request), so timing every call would itself show up as gateway time. One in 16 still added
// about 2-5 µs per request (far more in a V8 profile, where it showed as 12-16 µs); one in 64 leaves
// thousands of timed calls per scenario. Random, not every n-th: the gateway alternates input and output
// checks, which a fixed stride would sample unevenly.
const GUARD_SAMPLE_EVERY = 64;

/**
 * The guard with its calls timed in process CPU time (sampled, see above), so the benchmark can split the
 * gateway's CPU per request into "inside the guard" (detectors, policy, redaction, restore) and "proxy"
 * (everything else). The verdicts are the guard's own.
 */
function timedGuard(guard: Guard): Guard {
  const timed = <A extends unknown[], R>(call: (...args: A) => R) => {
    return (...args: A): R => {
      if (Math.random() * GUARD_SAMPLE_EVERY >= 1) return call(...args);
      const before = process.cpuUsage();
      try {
        return call(...args);
      } finally {
        const spent = process.cpuUsage(before);
        guardCpuMicros += (spent.user + spent.system) * GUARD_SAMPLE_EVERY;
      }
    };
  };
  return {
    check: timed(guard.check.bind(guard)),
    checkAsync: guard.checkAsync.bind(guard),
    redact: timed(guard.redact.bind(guard)),
    restore: timed(guard.restore.bind(guard)),
    createVault: timed(guard.createVault.bind(guard)),
  };
}

async function runUpstream(): Promise<void> {
  answerCpuQueries();
  const body = Buffer.from(ANSWER);
  const stream = Buffer.from(STREAM_EVENTS);
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    // The load generator marks streamed requests in the path's query, so the body need not be parsed.
    const streamed =
      request.url?.endsWith('?stream') === true || request.headers.accept === 'text/event-stream';
    request.resume();
    request.on('end', () => {
      if (streamed) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(stream);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

function useDist(): boolean {
  return (
    process.env.BENCH_FROM_SOURCE !== '1' && existsSync(new URL('../dist/gateway/server.js', import.meta.url))
  );
}

/**
 * `BENCH_STACK=full` runs the gateway as `aegis gateway` does (`startGateway`): an API key required and
 * verified on every request, per-key limits (set high enough never to refuse), the SQLite audit log with
 * redacted payloads, Prometheus metrics, anomaly detection and one JSON log line per request (the
 * gateway's stderr is /dev/null then). The default (`core`) is the gateway alone:
 * guard, routing and streaming, without key store, limits, audit, metrics or request logs.
 */
const FULL_STACK = process.env.BENCH_STACK === 'full';

async function runGateway(upstreamPort: number): Promise<void> {
  answerCpuQueries();
  // The compiled build (`npm run build`, what `npm start` runs) when present: the TypeScript loader adds
  // per-closure overhead that a deployment does not have. BENCH_FROM_SOURCE=1 forces the sources.
  const root = useDist() ? '../dist' : '../src';
  const { createGuard } = (await import(
    `${root}/guard/create-guard.js`
  )) as typeof import('../src/guard/create-guard.js');
  const { parseGatewayConfig } = (await import(
    `${root}/gateway/config/load-gateway-config.js`
  )) as typeof import('../src/gateway/config/load-gateway-config.js');
  const { createGateway } = (await import(
    `${root}/gateway/server.js`
  )) as typeof import('../src/gateway/server.js');
  const { startGateway } = (await import(
    `${root}/gateway/start-gateway.js`
  )) as typeof import('../src/gateway/start-gateway.js');
  const { createLogger } = (await import(
    `${root}/monitor/logger.js`
  )) as typeof import('../src/monitor/logger.js');
  // BENCH_DETECTORS=none measures the proxy alone (policy on, no detectors), for comparison.
  const guard = timedGuard(
    createGuard(
      process.env.BENCH_DETECTORS === 'none' ? { policy: 'balanced', detectors: [] } : { policy: 'balanced' },
    ),
  );
  const upstreams = [
    { name: 'mock', provider: 'openai', baseUrl: `http://127.0.0.1:${upstreamPort}/v1`, connections: 64 },
  ];
  if (FULL_STACK) {
    const dataDir = mkdtempSync(join(tmpdir(), 'aegis-bench-'));
    const started = await startGateway({
      config: parseGatewayConfig({
        port: 0,
        dataDir,
        upstreams,
        auth: { required: true },
        logging: { level: 'info', requests: true },
      }),
      guard,
      // The default logger (JSON lines on stderr, as `aegis gateway` writes them); this process's
      // stderr is /dev/null in this mode (see startChild).
      logger: createLogger({ level: 'info' }),
      environment: {},
    });
    const { key } = started.stores.keyStore.create({
      name: 'bench',
      rpm: 1_000_000_000,
      tpm: 1_000_000_000_000,
      concurrency: 10_000,
      dailyTokens: 1_000_000_000_000,
    });
    process.once(
      'SIGINT',
      () =>
        void started.close().then(() => {
          rmSync(dataDir, { recursive: true, force: true });
          process.exit(0);
        }),
    );
    process.send?.({ port: started.port, key });
    return;
  }
  const gateway = createGateway({
    config: parseGatewayConfig({
      port: 0,
      upstreams,
      logging: { level: 'silent', requests: false },
    }),
    guard,
    logger: createLogger({ level: 'silent' }),
    environment: {},
  });
  const { port } = await gateway.listen();
  // SIGINT ends the process normally (so a --cpu-prof profile is written).
  process.once('SIGINT', () => void gateway.close().then(() => process.exit(0)));
  process.send?.({ port });
}

/**
 * The floor of any Node.js proxy on this machine: a bare `node:http` server forwarding to the same
 * upstream through an undici pool, with no checks at all. Reported beside the gateway for scale.
 */
async function runBareProxy(upstreamPort: number): Promise<void> {
  answerCpuQueries();
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 64, keepAliveTimeout: 60_000 });
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const accept = request.headers.accept;
      pool
        .request({
          method: 'POST',
          path: '/v1/chat/completions',
          headers: accept
            ? { 'content-type': 'application/json', accept }
            : { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
        .then(async (reply) => {
          const type = String(reply.headers['content-type'] ?? 'application/json');
          if (type.startsWith('text/event-stream')) {
            response.writeHead(reply.statusCode, { 'content-type': type });
            reply.body.pipe(response);
            return;
          }
          const body = Buffer.from(await reply.body.arrayBuffer());
          response.writeHead(reply.statusCode, { 'content-type': type, 'content-length': body.length });
          response.end(body);
        })
        .catch(() => response.destroy());
    });
  });
  // SIGINT ends the process normally (so a --cpu-prof profile is written).
  process.once('SIGINT', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

interface Started {
  child: ChildProcess;
  port: number;
  /** The API key the gateway requires (full stack only). */
  key?: string;
}

function startChild(role: string, extra: string[] = []): Promise<Started> {
  const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(role)
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? '/tmp/aegis-prof'}`,
        `--cpu-prof-interval=${Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 1000)}`,
      ]
    : [];
  // The full-stack gateway logs a line per request to stderr: sent to /dev/null rather than the terminal.
  const stderr = role === 'gateway' && FULL_STACK ? openSync('/dev/null', 'w') : 'inherit';
  const child = fork(SELF, [`--role=${role}`, ...extra], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'ignore', stderr, 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      const { port, key } = message as { port: number; key?: string };
      resolve(key === undefined ? { child, port } : { child, port, key });
    });
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  /** CPU time per request (µs) of each measured server process. */
  cpuMicros: number[];
  /** Of that, CPU time per request (µs) inside guard calls (the gateway process only). */
  guardMicros: number[];
  /** CPU time per request (µs) of the load generator (this process). */
  loadMicros: number;
}

async function load(options: {
  port: number;
  concurrency: number;
  requests: number;
  maxMs: number;
  processes: ChildProcess[];
  stream: boolean;
  /** Sent as `Authorization: Bearer` to every target (the upstream and the bare proxy ignore it). */
  key: string | undefined;
}): Promise<Measure> {
  const pool = new Pool(`http://127.0.0.1:${options.port}`, {
    connections: options.concurrency,
    keepAliveTimeout: 60_000,
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.stream) headers.accept = 'text/event-stream';
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  const send = async (): Promise<boolean> => {
    const response = await pool.request({
      method: 'POST',
      path: '/v1/chat/completions',
      headers,
      body: requestBody(options.stream),
    });
    await response.body.arrayBuffer();
    return response.statusCode === 200;
  };
  // Warm-up at the measured concurrency: connections, caches, and enough requests for V8 to have
  // optimised the hot paths of every process (a server runs warm; its first seconds are not its speed).
  let warming = WARMUP_REQUESTS;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (warming-- > 0) await send();
    }),
  );
  const latencies = new Float64Array(options.requests);
  let issued = 0;
  let completed = 0;
  let errors = 0;
  const cpuBefore = await Promise.all(options.processes.map(cpuOf));
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.maxMs;
  const worker = async (): Promise<void> => {
    while (issued < options.requests && performance.now() < deadline) {
      issued++;
      const begin = performance.now();
      const ok = await send();
      latencies[completed++] = performance.now() - begin;
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = performance.now() - started;
  const own = process.cpuUsage(ownBefore);
  const cpuAfter = await Promise.all(options.processes.map(cpuOf));
  await pool.close();
  const cpuMicros = cpuAfter.map(
    (after, index) => (after.cpu - (cpuBefore[index]?.cpu ?? 0)) / Math.max(1, completed),
  );
  const guardMicros = cpuAfter.map(
    (after, index) => (after.guard - (cpuBefore[index]?.guard ?? 0)) / Math.max(1, completed),
  );
  const sorted = latencies.slice(0, completed).sort();
  return {
    rps: (completed / elapsed) * 1000,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    requests: completed,
    errors,
    cpuMicros,
    guardMicros,
    loadMicros: (own.user + own.system) / Math.max(1, completed),
  };
}

const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP ?? 2000);

// BENCH_SCENARIOS=whole:32,stream:1 runs a subset (for profiling); all four by default.
const SCENARIOS = (
  [
    [false, 1],
    [false, 32],
    [true, 1],
    [true, 32],
  ] as const
).filter(([stream, concurrency]) => {
  const wanted = process.env.BENCH_SCENARIOS;
  return wanted === undefined || wanted.split(',').includes(`${stream ? 'stream' : 'whole'}:${concurrency}`);
});

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

// BENCH_ROUNDS=N measures each target N times, interleaved (direct, bare proxy, gateway, direct, …), and
// keeps each target's round with the most requests per second: the same rule for all three, so that a
// burst of other work on the shared machine does not decide the ratio.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));

function fastest(measures: Measure[]): Measure {
  return measures.reduce((best, measure) => (measure.rps > best.rps ? measure : best));
}

/** Runs the benchmark and returns one result per concurrency level. */
export async function run(): Promise<Record<string, unknown>[]> {
  const upstream = await startChild('upstream');
  const gateway = await startChild('gateway', [`--upstream-port=${upstream.port}`]);
  const bare = await startChild('bare-proxy', [`--upstream-port=${upstream.port}`]);
  const key = gateway.key;
  const results: Record<string, unknown>[] = [];
  try {
    for (const [stream, concurrency] of SCENARIOS) {
      const requests = (concurrency === 1 ? 4000 : 20_000) / (stream ? 4 : 1);
      const maxMs = 15_000;
      const common = { concurrency, requests, maxMs, stream, key };
      const rounds: { direct: Measure[]; floor: Measure[]; through: Measure[] } = {
        direct: [],
        floor: [],
        through: [],
      };
      for (let round = 0; round < ROUNDS; round++) {
        rounds.direct.push(await load({ ...common, port: upstream.port, processes: [upstream.child] }));
        rounds.floor.push(
          await load({ ...common, port: bare.port, processes: [upstream.child, bare.child] }),
        );
        rounds.through.push(
          await load({ ...common, port: gateway.port, processes: [upstream.child, gateway.child] }),
        );
      }
      const direct = fastest(rounds.direct);
      const floor = fastest(rounds.floor);
      const through = fastest(rounds.through);
      const gatewayCpu = through.cpuMicros[1] ?? 0;
      const guardCpu = through.guardMicros[1] ?? 0;
      results.push({
        scenario: stream
          ? 'chat-completion streamed (~50 SSE deltas, window output guard), balanced policy'
          : 'chat-completion (system + fresh user prompt), non-streamed, balanced policy',
        stack: FULL_STACK
          ? 'full (API key, limits, SQLite audit, metrics, anomaly detection, request logs)'
          : 'core (guard and proxy; no key store, limits, audit, metrics or request logs)',
        concurrency,
        direct: {
          rps: round(direct.rps, 0),
          p50_ms: round(direct.p50),
          p99_ms: round(direct.p99),
          requests: direct.requests,
          upstream_cpu_us_per_request: round(direct.cpuMicros[0] ?? 0, 1),
          load_generator_cpu_us_per_request: round(direct.loadMicros, 1),
        },
        gateway: {
          rps: round(through.rps, 0),
          p50_ms: round(through.p50),
          p99_ms: round(through.p99),
          requests: through.requests,
          errors: through.errors,
          gateway_cpu_us_per_request: round(gatewayCpu, 1),
          of_which_guard_cpu_us: round(guardCpu, 1),
          of_which_proxy_cpu_us: round(gatewayCpu - guardCpu, 1),
          upstream_cpu_us_per_request: round(through.cpuMicros[0] ?? 0, 1),
          load_generator_cpu_us_per_request: round(through.loadMicros, 1),
        },
        bare_proxy: {
          rps: round(floor.rps, 0),
          p50_ms: round(floor.p50),
          p99_ms: round(floor.p99),
          proxy_cpu_us_per_request: round(floor.cpuMicros[1] ?? 0, 1),
          upstream_cpu_us_per_request: round(floor.cpuMicros[0] ?? 0, 1),
          load_generator_cpu_us_per_request: round(floor.loadMicros, 1),
        },
        added_p50_ms: round(through.p50 - direct.p50),
        added_p99_ms: round(through.p99 - direct.p99),
        throughput_ratio: round(through.rps / direct.rps),
        bare_proxy_throughput_ratio: round(floor.rps / direct.rps),
        rounds: ROUNDS,
        gateway_code: useDist() ? 'dist (compiled)' : 'src (tsx)',
        load_average_1m: round(loadavg()[0] ?? 0, 2),
        targets: { added_p50_ms_at_c1: 0.3, throughput_ratio: 0.45 },
      });
    }
  } finally {
    upstream.child.kill();
    gateway.child.kill('SIGINT');
    bare.child.kill('SIGINT');
  }
  return results;
}

const role = process.argv.find((argument) => argument.startsWith('--role='))?.slice('--role='.length);
if (role === 'upstream') await runUpstream();
else if (role === 'bare-proxy') {
  await runBareProxy(
    Number(process.argv.find((argument) => argument.startsWith('--upstream-port='))?.split('=')[1]),
  );
} else if (role === 'gateway') {
  const port = Number(
    process.argv.find((argument) => argument.startsWith('--upstream-port='))?.split('=')[1],
  );
  await runGateway(port);
} else if (process.argv[1] === SELF) {
  for (const result of await run())
    process.stdout.write(`${JSON.stringify({ bench: 'gateway', ...result })}\n`);
}
