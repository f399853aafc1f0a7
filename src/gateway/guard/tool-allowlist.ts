import { ERROR_CODES } from '../../spec/errors.js';
import { gatewayError } from '../http/api-error.js';

/** Tool names a request may use: the intersection of the key's and the route's lists (null = any). */
export function resolveToolAllowlist(options: {
  global?: readonly string[] | undefined;
  route?: readonly string[] | undefined;
  key?: readonly string[] | null | undefined;
}): ReadonlySet<string> | null {
  let allowed: Set<string> | null = null;
  for (const list of [options.global, options.route, options.key]) {
    if (list === undefined || list === null) continue;
    allowed = allowed === null ? new Set(list) : new Set(list.filter((name) => allowed!.has(name)));
  }
  return allowed;
}

/** Throws `AEGIS_TOOL_NOT_ALLOWED` when a declared or called tool is outside the allowlist. */
export function assertToolsAllowed(names: readonly string[], allowed: ReadonlySet<string> | null): void {
  if (allowed === null) return;
  for (const name of names) {
    if (!allowed.has(name)) {
      throw gatewayError(
        ERROR_CODES.TOOL_NOT_ALLOWED,
        `tool ${JSON.stringify(name.slice(0, 128))} is not allowed`,
        {
          tool: name.slice(0, 128),
        },
      );
    }
  }
}
