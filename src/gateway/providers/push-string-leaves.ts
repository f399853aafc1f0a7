import { ERROR_CODES } from '../../spec/errors.js';
import type { Role } from '../../spec/role.js';
import { AUDIT_PAYLOAD_PATTERNS } from '../audit/redacted-audit-payload.js';
import { gatewayError } from '../http/api-error.js';
import { classifyBase64, classifyDataUrl, type EncodedKind } from './encoded-text.js';
import type { TextSlot } from './text-slot.js';

/** How one walk reads strings: the role they are checked with, and the members it leaves unchecked. */
export interface LeafWalk {
  role: Role;
  slots: TextSlot[];
  /** Member names whose values are identifiers, settings or opaque data in a known shape. */
  skip: ReadonlySet<string>;
  /**
   * Also check member names (free-form JSON the model reads whole: a tool's input, a shape this gateway
   * does not know). Names of known shapes are fixed by the API and are not checked.
   */
  names?: boolean;
}

/** A walk of a shape this gateway does not know: every string and member name is checked. */
export function unknownShapeWalk(role: Role, slots: TextSlot[]): LeafWalk {
  return { role, slots, skip: UNKNOWN_SHAPE_SKIP, names: true };
}

/**
 * Members of a known shape (content part, input item, content block) that are not text for the model:
 * identifiers the provider matches (`id`, `call_id`, `tool_use_id`, `file_id`, …), settings
 * (`status`, `detail`, `format`, `media_type`, `cache_control`, `role`), data the provider encrypted or
 * signed (`encrypted_content`, `signature`, `encrypted_index`: opaque, and changing it breaks the
 * request) and log probabilities (they repeat the part's text token by token; providers do not read them
 * back). Every other member, at any depth, is checked.
 */
export const KNOWN_SHAPE_SKIP: ReadonlySet<string> = new Set([
  'id',
  'call_id',
  'tool_call_id',
  'tool_use_id',
  'file_id',
  'approval_request_id',
  'container_id',
  'status',
  'detail',
  'format',
  'media_type',
  'cache_control',
  'role',
  'signature',
  'encrypted_content',
  'encrypted_index',
  'logprobs',
]);

/** An unknown shape: nothing is left unchecked but a structural `type` and credentials (fail closed). */
export const UNKNOWN_SHAPE_SKIP: ReadonlySet<string> = new Set();

/**
 * Members of known shapes that hold free-form JSON, read whole by the model or a tool: a tool's `input`
 * (Anthropic `tool_use`, `server_tool_use`, `mcp_tool_use`) or `arguments` given as an object, a file
 * search result's `attributes`, a shell action's `env`. They are walked as unknown shapes (no member
 * skipped, member names checked), so a member named like a setting (`format`, `id`) hides nothing.
 */
const FREE_FORM_MEMBERS: ReadonlySet<string> = new Set(['input', 'arguments', 'attributes', 'env']);

/**
 * Nesting followed: above the largest `limits.jsonDepth` (1024), so in the gateway the parser's bound
 * always comes first and no string is left unchecked for being deep; past it the request is refused.
 */
const MAX_DEPTH = 1100;

/**
 * A `type` that names a shape (`input_text`, `web_search_tool_result`): lowercase words joined by `_`,
 * `.` or `-`, no digit, capital or space, so it carries no key, address, number or sentence.
 */
const STRUCTURAL_TYPE = /^[a-z][a-z_.-]{0,63}$/;

/**
 * Member names that hold credentials (`authorization`, `api_key`, `token`, …, the audit copy's pattern):
 * their value is for a server, not text for the model, and the audit copy masks it only while it is not a
 * checked text. So a credential in a member this gateway does not know is forwarded as sent and never
 * stored.
 */
const CREDENTIAL_KEY = AUDIT_PAYLOAD_PATTERNS.credentialKey;

/** The role a decoded file is checked with: a file a caller attaches is a document (indirect injection). */
function fileRole(role: Role): Role {
  return role === 'user' || role === 'system' ? 'document' : role;
}

/** Pushes the string at `container[key]`, decoding inline text files and leaving binary media out. */
export function pushLeafString(options: {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  text: string;
  walk: LeafWalk;
  /** The member name of the container in its parent (`input_audio` tells its `data` is audio). */
  parentKey?: string | number | undefined;
}): void {
  const { container, key, text, walk } = options;
  let kind: EncodedKind | undefined;
  if (text.startsWith('data:')) kind = classifyDataUrl(text);
  else if (key === 'file_data') kind = classifyBase64(text);
  else if (key === 'data' && !Array.isArray(container)) {
    // Bytes the API declares base64: an Anthropic `base64` source (typed by `media_type`) and audio.
    if (container.type === 'base64')
      kind = classifyBase64(
        text,
        typeof container.media_type === 'string' ? container.media_type : 'application/octet-stream',
      );
    else if (options.parentKey === 'input_audio') kind = classifyBase64(text);
  }
  if (kind === undefined || kind.kind === 'plain') walk.slots.push({ container, key, role: walk.role });
  else if (kind.kind === 'text')
    walk.slots.push({ container, key, role: fileRole(walk.role), encoding: kind.encoding });
}

/**
 * Pushes every string inside a JSON value (objects and arrays at any depth) as a slot with the walk's
 * role, but the members `walk.skip` names and a structural `type`. Inline text files (data URLs,
 * `file_data`, base64 sources of a text media type) are checked decoded, as documents; binary media
 * (images, PDFs, audio) cannot be read as text and are left as sent.
 */
export function pushStringLeaves(
  value: object,
  walk: LeafWalk,
  depth = 0,
  parentKey?: string | number,
): void {
  if (depth > MAX_DEPTH) throw gatewayError(ERROR_CODES.BAD_REQUEST, 'request nesting too deep to check');
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const child = value[index];
      if (typeof child === 'string')
        pushLeafString({ container: value, key: index, text: child, walk, parentKey });
      else if (child !== null && typeof child === 'object')
        pushStringLeaves(child, walk, depth + 1, parentKey);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (walk.skip.has(key)) continue;
    pushMember(record, key, walk, depth);
    // After the value: a redaction writes the value first, then renames the member that holds it.
    if (walk.names) walk.slots.push({ container: [key], key: 0, role: walk.role, renames: record });
  }
}

/**
 * Pushes one member of an object: a string (not a structural `type`, not a credential) as a slot, or
 * every string inside an object or array (see `pushStringLeaves`).
 */
export function pushMember(record: Record<string, unknown>, key: string, walk: LeafWalk, depth = 0): void {
  const child = record[key];
  // Free-form JSON inside a known shape: its member names are the caller's, not the API's.
  if (FREE_FORM_MEMBERS.has(key) && walk.skip !== UNKNOWN_SHAPE_SKIP && typeof child === 'object')
    walk = unknownShapeWalk(walk.role, walk.slots);
  if (typeof child === 'string') {
    if ((key === 'type' && STRUCTURAL_TYPE.test(child)) || CREDENTIAL_KEY.test(key)) return;
    pushLeafString({ container: record, key, text: child, walk });
  } else if (child !== null && typeof child === 'object') pushStringLeaves(child, walk, depth + 1, key);
}
