import { describe, expect, it } from 'vitest';
import { createCancellation } from './cancel-signal.js';

describe('createCancellation', () => {
  it('fires its listeners once, with an AbortError reason, and forgets removed ones', () => {
    const cancellation = createCancellation();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    cancellation.addEventListener('abort', () => calls.push('first'));
    cancellation.addEventListener('abort', removed);
    cancellation.removeEventListener('abort', removed);
    expect(cancellation.aborted).toBe(false);
    cancellation.abort();
    cancellation.abort();
    expect(calls).toEqual(['first']);
    expect(cancellation.aborted).toBe(true);
    expect((cancellation.reason as Error).name).toBe('AbortError');
    cancellation.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['first']);
  });
});
