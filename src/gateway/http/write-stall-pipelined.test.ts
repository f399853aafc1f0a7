import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createWriteStallWatchdog, type WriteStallReason } from './write-stall-watchdog.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server whose `/slow` answers after 600 ms and `/large` streams 64 MiB, honouring backpressure. */
async function startPipelineServer(watchdog: ReturnType<typeof createWriteStallWatchdog>): Promise<{
  port: number;
  reports: { path: string; reason: WriteStallReason }[];
  close(): void;
}> {
  const reports: { path: string; reason: WriteStallReason }[] = [];
  const server = createServer((request, response: ServerResponse) => {
    const path = request.url ?? '';
    watchdog.watch(response, (report) => {
      reports.push({ path, reason: report.reason });
      response.destroy();
    });
    if (path === '/slow') {
      // Long enough for several sweeps while the next response waits without a socket.
      setTimeout(() => response.end('ok'), 600);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' });
    const piece = 'x'.repeat(64 * 1024);
    let written = 0;
    const pump = (): void => {
      while (!response.destroyed && written < 64 * 1024 * 1024) {
        written += piece.length;
        if (!response.write(piece)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    reports,
    close() {
      watchdog.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

const PIPELINED =
  'GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\nGET /large HTTP/1.1\r\nHost: localhost\r\n\r\n';

// A pipelined request's response has no socket until the responses before it are done (Node queues it):
// it must stay watched while it waits, or a caller who pipelines a slow request before a large one and
// stops reading holds the second one (and its upstream) for ever.
describe('write-stall watchdog with pipelined requests', () => {
  it('reports a stall of a response that waited behind another on a keep-alive connection', async () => {
    const served = await startPipelineServer(createWriteStallWatchdog({ timeoutMs: 200 }));
    const client = connect(served.port, '127.0.0.1');
    await once(client, 'connect');
    // Both requests in one write; the caller then never reads.
    client.pause();
    client.write(PIPELINED);
    try {
      const stalled = () => served.reports.some((report) => report.path === '/large');
      for (let waited = 0; waited < 8_000 && !stalled(); waited += 50) await sleep(50);
      expect(served.reports).toEqual([{ path: '/large', reason: 'stalled' }]);
    } finally {
      client.destroy();
      served.close();
    }
  });

  it('cuts a slow reader of the response that waited, and not the one before it', async () => {
    // The stall rule off: only the rate rule judges. Loopback buffers hold MiBs, hence the high rate.
    const served = await startPipelineServer(
      createWriteStallWatchdog({ timeoutMs: 0, minBytesPerSecond: 4 * 1024 * 1024, slowWindowMs: 200 }),
    );
    const client = connect(served.port, '127.0.0.1');
    await once(client, 'connect');
    client.on('error', () => {});
    let received = 0;
    client.on('data', (data: Buffer) => {
      received += data.length;
      client.pause();
    });
    client.pause();
    client.write(PIPELINED);
    try {
      // Reads one chunk (at most 64 KiB) every 100 ms: it keeps reading, far below the rate.
      const cut = () => served.reports.length > 0;
      for (let waited = 0; waited < 8_000 && !cut(); waited += 100) {
        client.resume();
        await sleep(100);
      }
      expect(served.reports).toEqual([{ path: '/large', reason: 'slow' }]);
      expect(received).toBeGreaterThan(0);
    } finally {
      client.destroy();
      served.close();
    }
  });
});
