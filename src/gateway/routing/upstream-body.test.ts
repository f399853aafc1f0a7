import { describe, expect, it } from 'vitest';
import { PushBody } from './upstream-body.js';

function createBody() {
  const calls = { resumed: 0, aborted: [] as Error[] };
  const body = new PushBody({
    resumeUpstream: () => {
      calls.resumed++;
    },
    abortUpstream: (reason) => {
      calls.aborted.push(reason);
    },
  });
  return { body, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PushBody', () => {
  it('keeps chunks that arrive before a reader, then delivers them in order before end', async () => {
    const { body } = createBody();
    expect(body.push(Buffer.from('a'))).toBe(true);
    expect(body.push(Buffer.from('b'))).toBe(true);
    body.complete();
    expect(body.readableLength).toBe(2);
    const seen: string[] = [];
    body.on('data', (chunk) => seen.push(chunk.toString()));
    body.on('end', () => seen.push('end'));
    expect(seen).toEqual([]);
    await tick();
    expect(seen).toEqual(['a', 'b', 'end']);
    expect(body.readableLength).toBe(0);
  });

  it('delivers at once while flowing, holds while paused and asks the upstream to pause past the mark', async () => {
    const { body, calls } = createBody();
    const seen: number[] = [];
    body.on('data', (chunk) => seen.push(chunk.length));
    await tick();
    expect(body.push(Buffer.alloc(10))).toBe(true);
    expect(seen).toEqual([10]);
    body.pause();
    expect(body.isPaused()).toBe(true);
    expect(body.push(Buffer.alloc(40_000))).toBe(true);
    expect(body.push(Buffer.alloc(40_000))).toBe(false);
    await tick();
    expect(seen).toEqual([10]);
    body.resume();
    await tick();
    expect(seen).toEqual([10, 40_000, 40_000]);
    expect(calls.resumed).toBe(1);
  });

  it('keeps a failure until an error listener exists, and drops pending data', async () => {
    const { body } = createBody();
    body.push(Buffer.from('lost'));
    body.fail(new Error('reset'));
    await tick();
    const seen: string[] = [];
    body.on('data', (chunk) => seen.push(chunk.toString()));
    body.on('error', (error) => seen.push(`error:${error.message}`));
    await tick();
    expect(seen).toEqual(['error:reset']);
    expect(body.destroyed).toBe(true);
  });

  it('aborts the upstream when destroyed before the end, not after', async () => {
    const running = createBody();
    running.body.push(Buffer.from('x'));
    running.body.destroy();
    expect(running.calls.aborted).toHaveLength(1);
    expect(running.calls.aborted[0]?.name).toBe('AbortError');
    expect(running.body.push(Buffer.from('ignored'))).toBe(true);
    const finished = createBody();
    finished.body.on('data', () => {});
    finished.body.complete();
    await tick();
    finished.body.destroy();
    expect(finished.calls.aborted).toHaveLength(0);
  });

  it('drains without a data listener once resumed (a discarded body)', async () => {
    const { body } = createBody();
    let ended = false;
    body.on('end', () => {
      ended = true;
    });
    body.push(Buffer.from('ignored'));
    body.resume();
    body.complete();
    await tick();
    expect(ended).toBe(true);
  });
});
