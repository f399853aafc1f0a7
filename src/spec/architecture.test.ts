import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Enforces the dependency direction of the design notes: spec ← detect ← guard ← gateway, redteam, cli, web;
// scan, sign, govern depend on spec only; the core never imports terminal code (cli). `net` (address
// classification for outgoing connections) is a leaf beside spec, used by the gateway and the LLM judge.
const SRC = new URL('..', import.meta.url).pathname;

const ALLOWED: Record<string, readonly string[]> = {
  spec: ['spec'],
  net: ['net'],
  detect: ['spec', 'detect'],
  policy: ['spec', 'detect', 'policy'],
  guard: ['spec', 'detect', 'policy', 'guard', 'learn'],
  learn: ['spec', 'detect', 'learn', 'net'],
  scan: ['spec', 'scan'],
  sign: ['spec', 'sign', 'scan'],
  govern: ['spec', 'govern'],
  store: ['spec', 'store'],
  monitor: ['spec', 'monitor', 'store'],
  eval: ['spec', 'detect', 'policy', 'guard', 'learn', 'net', 'eval'],
  gateway: ['spec', 'detect', 'policy', 'guard', 'learn', 'net', 'store', 'monitor', 'gateway'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('architecture', () => {
  it('keeps the import direction', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const area = relative(SRC, file).split('/')[0] ?? '';
      const allowed = ALLOWED[area];
      if (!allowed) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = relative(SRC, join(file, '..', match[1] ?? ''));
        const targetArea = target.split('/')[0] ?? '';
        if (target.startsWith('..')) continue;
        if (!target.includes('/')) continue; // src/index.ts etc.
        if (!allowed.includes(targetArea)) violations.push(`${relative(SRC, file)} → ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('never uses eval or new Function in source', () => {
    const offenders = sourceFiles(SRC).filter((file) =>
      /\beval\(|new Function\(/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });
});
