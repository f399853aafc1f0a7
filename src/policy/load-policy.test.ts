import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import { loadPolicy, presetPolicy, resolvePolicy } from './load-policy.js';
import { PRESET_THRESHOLDS } from './presets.js';

const folder = mkdtempSync(join(tmpdir(), 'aegis-policy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

function errorOf(run: () => unknown): AegisError {
  try {
    run();
  } catch (error) {
    if (error instanceof AegisError) return error;
    throw error;
  }
  throw new Error('expected an AegisError');
}

describe('presets', () => {
  it('balanced blocks injection, redacts PII and secrets, flags unicode, fails closed', () => {
    const policy = presetPolicy('balanced');
    expect(policy.name).toBe('balanced');
    expect(policy.families.injection).toMatchObject({
      action: 'block',
      threshold: PRESET_THRESHOLDS.balanced.injection,
    });
    expect(policy.families.pii.action).toBe('redact');
    expect(policy.families.secrets.action).toBe('redact');
    expect(policy.families.unicode.action).toBe('flag');
    expect(policy.families.output.types.MARKDOWN_IMAGE_EXFILTRATION?.action).toBe('block');
    for (const family of Object.values(policy.families)) expect(family.failMode).toBe('closed');
    // System text is trusted (no injection or unicode check) but its PII and secrets are redacted.
    expect(policy.roles.system.families).toEqual(['pii', 'secrets']);
    expect(policy.roles.assistant.families).toContain('output');
    expect(policy.roles.user.families).not.toContain('output');
  });

  it('strict has lower thresholds than balanced, permissive mostly flags', () => {
    const strict = presetPolicy('strict');
    const balanced = presetPolicy('balanced');
    const permissive = presetPolicy('permissive');
    expect(strict.families.injection.threshold).toBeLessThan(balanced.families.injection.threshold);
    expect(strict.families.secrets.action).toBe('block');
    expect(permissive.families.injection.action).toBe('flag');
    expect(permissive.families.pii.action).toBe('flag');
  });

  it('scan system text for PII and secrets in every preset, never for injection', () => {
    for (const name of ['strict', 'balanced', 'permissive']) {
      const policy = presetPolicy(name);
      expect(policy.roles.system.families).toEqual(['pii', 'secrets']);
      // No role override: system PII gets the preset's own PII action (permissive flags it).
      expect(policy.families.pii.roles.system).toBeUndefined();
    }
  });

  it('is frozen', () => {
    const policy = presetPolicy('balanced');
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.families.pii)).toBe(true);
    expect(() => {
      (policy.families.pii as { action: string }).action = 'allow';
    }).toThrow(TypeError);
  });

  it('rejects an unknown preset', () => {
    expect(errorOf(() => presetPolicy('lenient')).code).toBe(ERROR_CODES.PRESET_UNKNOWN);
    expect(errorOf(() => loadPolicy('lenient')).code).toBe(ERROR_CODES.PRESET_UNKNOWN);
  });
});

describe('loadPolicy', () => {
  it('loads YAML that extends a preset and merges onto it', () => {
    const path = write(
      'policy.yaml',
      [
        'extends: strict',
        'families:',
        '  pii:',
        '    redaction: mask',
        '    types:',
        '      EMAIL_ADDRESS: { action: flag, threshold: 0.9 }',
        '  injection:',
        '    roles:',
        '      document: { action: flag }',
        'allowlist:',
        '  hosts: ["*.example.com"]',
        '  values: ["support@example.com"]',
      ].join('\n'),
    );
    const policy = loadPolicy(path);
    expect(policy.name).toBe(path);
    expect(policy.families.pii).toMatchObject({ action: 'redact', redaction: 'mask', threshold: 0.3 });
    expect(policy.families.pii.types.EMAIL_ADDRESS).toEqual({ action: 'flag', threshold: 0.9 });
    expect(policy.families.injection.roles.document).toEqual({ action: 'flag', threshold: 0.3 });
    expect(policy.families.injection.roles.tool).toEqual({ action: 'block', threshold: 0.3 });
    expect(policy.allowlist.hosts).toEqual(['*.example.com']);
  });

  it('loads JSON by content, whatever the file name', () => {
    const path = write(
      'policy.txt',
      JSON.stringify({ name: 'mine', families: { secrets: { action: 'block' } } }),
    );
    const policy = loadPolicy(path);
    expect(policy.name).toBe('mine');
    expect(policy.families.secrets.action).toBe('block');
    expect(policy.families.pii.action).toBe('redact'); // from balanced, the default base
  });

  it('names the bad key of an invalid file', () => {
    const path = write('typo.yaml', 'families:\n  injection:\n    threshhold: 0.4\n');
    const error = errorOf(() => loadPolicy(path));
    expect(error.code).toBe(ERROR_CODES.POLICY_INVALID);
    expect(error.message).toContain('families.injection.threshhold: unknown key');
  });

  it('names the path of an out-of-range or wrongly typed value', () => {
    expect(errorOf(() => resolvePolicy({ families: { pii: { threshold: 1.5 } } })).message).toContain(
      'families.pii.threshold',
    );
    expect(errorOf(() => resolvePolicy({ families: { pii: { action: 'delete' } } })).message).toContain(
      'families.pii.action',
    );
    expect(errorOf(() => resolvePolicy({ families: { viruses: {} } })).message).toContain('families');
    expect(errorOf(() => resolvePolicy({ roles: { admin: { families: [] } } })).message).toContain('roles');
    expect(errorOf(() => resolvePolicy({ extends: 'lenient' })).message).toContain('extends');
    expect(errorOf(() => resolvePolicy({ families: { pii: { types: { __proto__x: {} } } } })).code).toBe(
      ERROR_CODES.POLICY_INVALID,
    );
  });

  it('reports malformed YAML and JSON as POLICY_INVALID', () => {
    expect(errorOf(() => loadPolicy(write('bad.json', '{"families": '))).code).toBe(
      ERROR_CODES.POLICY_INVALID,
    );
    expect(errorOf(() => loadPolicy(write('bad.yaml', 'families: [unclosed'))).code).toBe(
      ERROR_CODES.POLICY_INVALID,
    );
    expect(errorOf(() => loadPolicy(write('list.yaml', '- a\n- b\n'))).code).toBe(ERROR_CODES.POLICY_INVALID);
  });

  it('reports a missing file as POLICY_UNREADABLE', () => {
    const error = errorOf(() => loadPolicy(join(folder, 'missing.yaml')));
    expect(error.code).toBe(ERROR_CODES.POLICY_UNREADABLE);
    expect(error.message).toContain('missing.yaml');
  });

  it('keeps system prompts verbatim for PII when the policy file narrows the system scope', () => {
    const path = write('verbatim.yaml', ['roles:', '  system: { families: [secrets] }'].join('\n'));
    const policy = loadPolicy(path);
    expect(policy.roles.system.families).toEqual(['secrets']);
    expect(policy.roles.user.families).toContain('pii'); // the other roles keep the preset's scope
    // The per-family role switch says the same thing, and a typo in either is refused with its path.
    const disabled = resolvePolicy({ families: { pii: { roles: { system: { enabled: false } } } } });
    expect(disabled.families.pii.roles.system).toEqual({ enabled: false });
    expect(
      errorOf(() => resolvePolicy({ roles: { system: { families: ['secrets', 'pi'] } } })).message,
    ).toContain('roles.system.families.1');
    expect(errorOf(() => resolvePolicy({ roles: { system: { family: ['secrets'] } } })).message).toContain(
      'roles.system.family: unknown key',
    );
  });

  it('treats an empty file as the default preset', () => {
    expect(loadPolicy(write('empty.yaml', '')).families.injection.action).toBe('block');
  });
});

describe('allowlist patterns', () => {
  it('accepts a safe pattern', () => {
    expect(
      resolvePolicy({ allowlist: { patterns: ['[a-z]{1,20}@example\\.com'] } }).allowlist.patterns,
    ).toHaveLength(1);
  });

  it('rejects a pattern that can backtrack catastrophically, naming it', () => {
    const error = errorOf(() => resolvePolicy({ allowlist: { patterns: ['ok', '(a+)+b'] } }));
    expect(error.code).toBe(ERROR_CODES.POLICY_INVALID);
    expect(error.message).toContain('allowlist.patterns.1');
  });

  it('rejects a pattern that does not compile', () => {
    expect(errorOf(() => resolvePolicy({ allowlist: { patterns: ['(unclosed'] } })).message).toContain(
      'allowlist.patterns.0',
    );
  });
});
