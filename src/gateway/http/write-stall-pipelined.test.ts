import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createWriteStallWatchdog } from './write-stall-watchdog.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A pipelined request's response has no socket until the responses before it are done (Node queues it):
// it must stay watched while it waits, or a caller who pipelines a slow request before a large one and
// stops reading holds the second one (and its upstream) for ever.
describe('write-stall watchdog with pipelined requests', () => {
  it('reports a stall of a response that waited behind another on a keep-alive connection', async () => {
    const watchdog = createWriteStallWatchdog({ timeoutMs: 200 });
    const stalled: string[] = [];
    const server = createServer((request, response: ServerResponse) => {
      const path = request.url ?? '';
      watchdog.watch(response, () => {
        stalled.push(path);
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
    const { port } = server.address() as AddressInfo;
    const client = connect(port, '127.0.0.1');
    await once(client, 'connect');
    // Both requests in one write; the caller then never reads.
    client.pause();
    client.write(
      'GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\nGET /large HTTP/1.1\r\nHost: localhost\r\n\r\n',
    );
    try {
      for (let waited = 0; waited < 8_000 && !stalled.includes('/large'); waited += 50) await sleep(50);
      expect(stalled).toContain('/large');
    } finally {
      client.destroy();
      watchdog.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
