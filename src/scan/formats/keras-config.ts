import { makeFinding, printable } from '../finding.js';
import { dangerFor } from '../pickle/dangerous-callables.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';

const MAX_NODES = 500_000;
const MAX_DEPTH = 200;

/** Module prefixes Keras itself serialises. */
function isKerasModule(module: string): boolean {
  return /^(?:keras|tf_keras|tensorflow\.keras|tensorflow\.python\.keras)(?:\.|$)/.test(module);
}

/** True for JSON that looks like a Keras model or layer config. */
export function looksLikeKerasConfig(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.class_name === 'string' && typeof record.config === 'object';
}

/**
 * Checks a Keras model config (config.json in `.keras`, `model_config` in `.h5`): Lambda layers carry
 * marshalled Python bytecode (CVE-2024-3660), `module` entries outside Keras import arbitrary code
 * (CVE-2025-1550), and `get_file` downloads at load time.
 */
export function checkKerasConfig(config: unknown, location: string): ScanFinding[] {
  const findings: ScanFinding[] = [];
  const reported = new Set<string>();
  const add = (finding: ScanFinding): void => {
    const key = `${finding.rule}\u0000${finding.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    findings.push(finding);
  };
  const pending: Array<{ node: unknown; depth: number; path: string }> = [
    { node: config, depth: 0, path: '' },
  ];
  let visited = 0;
  while (pending.length > 0 && visited++ < MAX_NODES) {
    const { node, depth, path } = pending.pop() as { node: unknown; depth: number; path: string };
    if (depth > MAX_DEPTH) continue;
    if (typeof node === 'string') {
      if (/(?:^|\.)get_file$/.test(node)) {
        add(
          makeFinding({
            rule: RULES.kerasGetFile,
            message: `config refers to ${printable(node, 60)}`,
            location: `${location}:${path}`,
          }),
        );
      }
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const [index, child] of node.entries()) {
        pending.push({ node: child, depth: depth + 1, path: `${path}[${index}]` });
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    const className = typeof record.class_name === 'string' ? record.class_name : undefined;
    const layerConfig = record.config as Record<string, unknown> | undefined;
    const layerName = typeof layerConfig?.name === 'string' ? layerConfig.name : path || 'model';
    if (className === 'Lambda' || className === '__lambda__') {
      add(
        makeFinding({
          rule: RULES.kerasLambda,
          message: `${className === 'Lambda' ? 'Lambda layer' : 'serialized lambda at'} ${printable(layerName, 60)} holds Python code`,
          location: `${location}:${printable(layerName, 60)}`,
        }),
      );
    }
    if (typeof record.module === 'string' && !isKerasModule(record.module)) {
      const target = `${record.module}.${className ?? ''}`;
      const danger =
        dangerFor(target) ??
        (typeof record.config === 'string' ? dangerFor(`${record.module}.${record.config}`) : undefined);
      add(
        makeFinding({
          rule: RULES.kerasModule,
          message: `object ${printable(layerName, 60)} comes from module ${printable(record.module, 60)}${danger ? `: ${danger.reason}` : ''}`,
          location: `${location}:${printable(layerName, 60)}`,
          ...(danger ? { severity: 'critical' as const } : {}),
        }),
      );
    }
    for (const [key, value] of Object.entries(record)) {
      pending.push({ node: value, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
  return findings;
}
