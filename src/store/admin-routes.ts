import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { AdminAuth } from './admin-token.js';
import type { AuditLog } from './audit-log.js';
import type { KeyStore } from './key-store.js';
import type { Limiter } from './limiter.js';
import type { HeaderBag } from './presented-key.js';

/** An admin request, independent of the HTTP framework. */
export interface AdminRequest {
  method: string;
  /** Path with optional query string, e.g. `/admin/keys` or `/admin/audit/tail?n=20`. */
  path: string;
  headers: HeaderBag;
  /** Parsed JSON body (for POST). */
  body?: unknown;
}

/** A JSON response for the server to send. */
export interface AdminResponse {
  status: number;
  body: unknown;
}

/** Admin endpoints: keys over HTTP, audit checks. Mount under `prefix` (default `/admin`). */
export interface AdminRoutes {
  /** True when `path` belongs to the admin endpoints (the server then calls `handle`). */
  matches(path: string): boolean;
  /** True when the request needs its JSON body parsed before `handle`. */
  needsBody(method: string): boolean;
  /**
   * Throws ADMIN_TOKEN_INVALID unless the headers carry the admin token. `handle` checks it too; a server
   * calls it first so that nobody without the token makes it read or parse a body.
   */
  authorize(headers: HeaderBag): void;
  /** Handles one request. Throws `AegisError` (ADMIN_TOKEN_INVALID, NOT_FOUND, METHOD_NOT_ALLOWED, INVALID_ARGUMENT). */
  handle(request: AdminRequest): AdminResponse;
}

/** Options of `createAdminRoutes`. */
export interface AdminRoutesOptions {
  auth: AdminAuth;
  keyStore: KeyStore;
  limiter?: Pick<Limiter, 'usage'>;
  auditLog?: Pick<AuditLog, 'verify' | 'tail'>;
  prefix?: string;
}

function methodNotAllowed(method: string, path: string): AegisError {
  return new AegisError(ERROR_CODES.METHOD_NOT_ALLOWED, `${method} is not allowed on ${path}`);
}

/**
 * Routes (all JSON, all need `Authorization: Bearer <admin token>`):
 * `GET /admin/keys`, `POST /admin/keys` (returns the key once), `GET /admin/keys/:id`,
 * `DELETE /admin/keys/:id` (revoke), `GET /admin/keys/:id/usage`, `GET /admin/audit/verify`,
 * `GET /admin/audit/tail?n=N`.
 */
export function createAdminRoutes(options: AdminRoutesOptions): AdminRoutes {
  const prefix = options.prefix ?? '/admin';
  const { auth, keyStore } = options;

  function authorize(headers: HeaderBag): void {
    if (!auth.enabled) {
      throw new AegisError(
        ERROR_CODES.ADMIN_TOKEN_INVALID,
        'admin endpoints are disabled: set AEGIS_ADMIN_TOKEN',
      );
    }
    if (!auth.check(headers)) {
      throw new AegisError(ERROR_CODES.ADMIN_TOKEN_INVALID, 'missing or wrong admin token');
    }
  }

  function keyOrThrow(id: string) {
    const record = keyStore.get(id);
    if (record === undefined) throw new AegisError(ERROR_CODES.NOT_FOUND, `no API key with id ${id}`);
    return record;
  }

  return {
    matches(path) {
      return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
    },

    needsBody(method) {
      return method.toUpperCase() === 'POST';
    },

    authorize,

    handle(request) {
      authorize(request.headers);
      const method = request.method.toUpperCase();
      const url = new URL(request.path, 'http://admin.invalid');
      const parts = url.pathname
        .slice(prefix.length)
        .split('/')
        .filter((part) => part !== '');
      const [section, id, sub] = parts;

      if (section === 'keys' && id === undefined) {
        if (method === 'GET') return { status: 200, body: { data: keyStore.list() } };
        if (method === 'POST') {
          const created = keyStore.create((request.body ?? {}) as never);
          return { status: 201, body: created };
        }
        throw methodNotAllowed(method, url.pathname);
      }
      if (section === 'keys' && id !== undefined && sub === undefined && parts.length === 2) {
        if (method === 'GET') return { status: 200, body: keyOrThrow(id) };
        if (method === 'DELETE') return { status: 200, body: keyStore.revoke(id) };
        throw methodNotAllowed(method, url.pathname);
      }
      if (
        section === 'keys' &&
        id !== undefined &&
        sub === 'usage' &&
        parts.length === 3 &&
        options.limiter
      ) {
        if (method !== 'GET') throw methodNotAllowed(method, url.pathname);
        return { status: 200, body: options.limiter.usage(keyOrThrow(id)) };
      }
      if (section === 'audit' && parts.length === 2 && options.auditLog) {
        if (method !== 'GET') throw methodNotAllowed(method, url.pathname);
        if (id === 'verify') return { status: 200, body: options.auditLog.verify() };
        if (id === 'tail') {
          const count = Number(url.searchParams.get('n') ?? '20');
          if (!Number.isInteger(count) || count < 1 || count > 1000) {
            throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'n must be a whole number from 1 to 1000');
          }
          return { status: 200, body: { data: options.auditLog.tail(count) } };
        }
      }
      throw new AegisError(ERROR_CODES.ROUTE_NOT_FOUND, `no admin route ${method} ${url.pathname}`);
    },
  };
}
