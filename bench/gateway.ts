// Gateway benchmark (`npm run bench:gateway`, or `npm run bench -- gateway`).
//
// A mock OpenAI upstream and the gateway each run in their own process (as in a deployment; they share
// the machine's cores with the load generator), and the load generator sends the same chat-completion
// request directly to the upstream and through the gateway (balanced policy, built-in detectors, input
// and output guard on) at concurrency 1 and 32. Prints one JSON object per line: requests per second and
// latency p50/p99 for both, and the latency the gateway adds. Bounded by request count and time.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

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

/** Children answer `cpu` messages with their CPU time (µs), a measure that machine load does not skew. */
function answerCpuQueries(): void {
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpu: usage.user + usage.system });
    }
  });
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      const cpu = (message as { cpu?: number }).cpu;
      if (cpu === undefined) return;
      child.off('message', onMessage);
      resolve(cpu);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
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
  const { createLogger } = (await import(
    `${root}/monitor/logger.js`
  )) as typeof import('../src/monitor/logger.js');
  const gateway = createGateway({
    config: parseGatewayConfig({
      port: 0,
      upstreams: [
        { name: 'mock', provider: 'openai', baseUrl: `http://127.0.0.1:${upstreamPort}/v1`, connections: 64 },
      ],
      logging: { level: 'silent', requests: false },
    }),
    // BENCH_DETECTORS=none measures the proxy alone (policy on, no detectors), for comparison.
    guard: createGuard(
      process.env.BENCH_DETECTORS === 'none' ? { policy: 'balanced', detectors: [] } : { policy: 'balanced' },
    ),
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

function startChild(role: string, extra: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(role)
    ? ['--cpu-prof', '--cpu-prof-dir=/tmp/aegis-prof']
    : [];
  const child = fork(SELF, [`--role=${role}`, ...extra], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, port: (message as { port: number }).port }));
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
}

async function load(options: {
  port: number;
  concurrency: number;
  requests: number;
  maxMs: number;
  processes: ChildProcess[];
  stream: boolean;
}): Promise<Measure> {
  const pool = new Pool(`http://127.0.0.1:${options.port}`, {
    connections: options.concurrency,
    keepAliveTimeout: 60_000,
  });
  const send = async (): Promise<boolean> => {
    const response = await pool.request({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: options.stream
        ? { 'content-type': 'application/json', accept: 'text/event-stream' }
        : { 'content-type': 'application/json' },
      body: requestBody(options.stream),
    });
    await response.body.arrayBuffer();
    return response.statusCode === 200;
  };
  // Warm-up: JIT, connections, caches.
  for (let index = 0; index < 300; index++) await send();
  const latencies = new Float64Array(options.requests);
  let issued = 0;
  let completed = 0;
  let errors = 0;
  const cpuBefore = await Promise.all(options.processes.map(cpuOf));
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
  const cpuAfter = await Promise.all(options.processes.map(cpuOf));
  await pool.close();
  const cpuMicros = cpuAfter.map(
    (after, index) => (after - (cpuBefore[index] ?? 0)) / Math.max(1, completed),
  );
  const sorted = latencies.slice(0, completed).sort();
  return {
    rps: (completed / elapsed) * 1000,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    requests: completed,
    errors,
    cpuMicros,
  };
}

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

/** Runs the benchmark and returns one result per concurrency level. */
export async function run(): Promise<Record<string, unknown>[]> {
  const upstream = await startChild('upstream');
  const gateway = await startChild('gateway', [`--upstream-port=${upstream.port}`]);
  const bare = await startChild('bare-proxy', [`--upstream-port=${upstream.port}`]);
  const results: Record<string, unknown>[] = [];
  try {
    for (const [stream, concurrency] of SCENARIOS) {
      const requests = (concurrency === 1 ? 4000 : 20_000) / (stream ? 4 : 1);
      const maxMs = 15_000;
      const direct = await load({
        port: upstream.port,
        concurrency,
        requests,
        maxMs,
        processes: [upstream.child],
        stream,
      });
      const floor = await load({
        port: bare.port,
        concurrency,
        requests,
        maxMs,
        processes: [upstream.child, bare.child],
        stream,
      });
      const through = await load({
        port: gateway.port,
        concurrency,
        requests,
        maxMs,
        processes: [upstream.child, gateway.child],
        stream,
      });
      results.push({
        scenario: stream
          ? 'chat-completion streamed (~50 SSE deltas, window output guard), balanced policy'
          : 'chat-completion (system + fresh user prompt), non-streamed, balanced policy',
        concurrency,
        direct: {
          rps: round(direct.rps, 0),
          p50_ms: round(direct.p50),
          p99_ms: round(direct.p99),
          requests: direct.requests,
          upstream_cpu_us_per_request: round(direct.cpuMicros[0] ?? 0, 1),
        },
        gateway: {
          rps: round(through.rps, 0),
          p50_ms: round(through.p50),
          p99_ms: round(through.p99),
          requests: through.requests,
          errors: through.errors,
          gateway_cpu_us_per_request: round(through.cpuMicros[1] ?? 0, 1),
        },
        bare_proxy: {
          rps: round(floor.rps, 0),
          p50_ms: round(floor.p50),
          p99_ms: round(floor.p99),
          proxy_cpu_us_per_request: round(floor.cpuMicros[1] ?? 0, 1),
        },
        added_p50_ms: round(through.p50 - direct.p50),
        added_p99_ms: round(through.p99 - direct.p99),
        throughput_ratio: round(through.rps / direct.rps),
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
