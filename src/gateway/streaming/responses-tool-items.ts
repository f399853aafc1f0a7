import type { ResponseGuard } from '../guard/response-guard.js';
import type { HandledMembers } from '../guard/rewrite-unknown-value.js';
import { listedToolSlots, TOOL_LISTING_TYPES } from '../providers/tool-definition-slots.js';
import {
  type OutputItem,
  type RewriteText,
  recordAt,
  rewriteMember,
  slotOf,
  type TextKind,
  wholeSlot,
} from './responses-text-types.js';
import { rewriteUnknownItem } from './responses-unknown-item.js';

/**
 * Names the tool allowlist knows built-in tool calls by. These calls carry no tool name, so they go by
 * the `type` of the tool a request declares to enable them (`{"type": "local_shell"}`, …). As for any
 * tool, no configured allowlist means any tool the caller declared may be called.
 */
export const BUILT_IN_TOOL_NAMES: ReadonlyMap<string, string> = new Map([
  ['code_interpreter_call', 'code_interpreter'],
  ['local_shell_call', 'local_shell'],
  ['shell_call', 'shell'],
  ['apply_patch_call', 'apply_patch'],
]);

/**
 * The members `rewriteToolItem` checks itself, by item type (a name goes through the allowlist). Arrays
 * of strings (`command`, `queries`) and environments are checked string by string there. Left as sent on
 * purpose: a code interpreter's image `url` (the provider's own container), the URLs a web search opened
 * (the provider's own fetches; the pages it cites come back as checked citations) and a generated
 * image's bytes. Every other member of these items is walked like an unknown item's (`rewriteItemTexts`).
 */
export const TOOL_ITEM_MEMBERS: ReadonlyMap<string, HandledMembers> = new Map<string, HandledMembers>([
  ['mcp_call', { name: 'text', arguments: 'text', output: 'text', error: 'text' }],
  ['mcp_approval_request', { name: 'text', arguments: 'text' }],
  ['mcp_list_tools', { error: 'text', tools: 'skip' }],
  ['code_interpreter_call', { code: 'text', outputs: { logs: 'text', url: 'skip' } }],
  ['local_shell_call', { action: { command: 'skip', env: 'skip', working_directory: 'text', user: 'text' } }],
  ['shell_call', { action: { commands: 'skip' } }],
  ['apply_patch_call', { operation: { path: 'text', diff: 'text' } }],
  [
    'web_search_call',
    { action: { query: 'text', queries: 'skip', pattern: 'text', url: 'skip', sources: 'skip' } },
  ],
  ['file_search_call', { queries: 'skip', results: { text: 'text' } }],
  ['computer_call', { action: { text: 'text' }, actions: { text: 'text' } }],
  ['image_generation_call', { revised_prompt: 'text', result: 'skip' }],
  ['program', { code: 'text' }],
  ['program_output', { result: 'text' }],
  ['local_shell_call_output', { output: 'text' }],
  ['shell_call_output', { output: { stdout: 'text', stderr: 'text' } }],
  ['apply_patch_call_output', { output: 'text' }],
]);

interface MemberOptions {
  record: Record<string, unknown>;
  field: string;
  itemId: unknown;
  rewrite: RewriteText;
  kind?: TextKind;
}

/** A string member that is never streamed, checked whole under its own name. */
function wholeMember(options: MemberOptions): boolean {
  const slot = wholeSlot(options.itemId, options.field, options.kind ?? 'text');
  return rewriteMember({ record: options.record, field: options.field, slot, rewrite: options.rewrite });
}

/** Every string of an array member (shell command words), each checked whole. */
function wholeStrings(options: MemberOptions): boolean {
  const list = options.record[options.field];
  if (!Array.isArray(list)) return true;
  for (let index = 0; index < list.length; index++) {
    const value = list[index];
    if (typeof value !== 'string') continue;
    const text = options.rewrite(wholeSlot(options.itemId, `${options.field}.${index}`, 'text'), value);
    if (text === null) return false;
    list[index] = text;
  }
  return true;
}

/** The names and values of an environment (`local_shell_call` `action.env`), each checked whole. */
function wholeEnvironment(options: MemberOptions): boolean {
  const env = recordAt(options.record[options.field]);
  if (env === undefined) return true;
  const entries: [string, unknown][] = [];
  let changed = false;
  for (const [index, [name, value]] of Object.entries(env).entries()) {
    const checkedName = options.rewrite(wholeSlot(options.itemId, `env.${index}.name`, 'text'), name);
    if (checkedName === null) return false;
    let checkedValue = value;
    if (typeof value === 'string') {
      checkedValue = options.rewrite(wholeSlot(options.itemId, `env.${index}.value`, 'text'), value);
      if (checkedValue === null) return false;
    }
    changed ||= checkedName !== name || checkedValue !== value;
    entries.push([checkedName, checkedValue]);
  }
  if (changed) {
    // Defined, not assigned: a name such as `__proto__` stays an ordinary member.
    const rebuilt = {};
    for (const [name, value] of entries)
      Object.defineProperty(rebuilt, name, { value, enumerable: true, writable: true, configurable: true });
    options.record[options.field] = rebuilt;
  }
  return true;
}

/** Each element of an array member whose string fields are checked whole (`outputs[].logs`, …). */
function wholeInElements(options: MemberOptions & { fields: readonly string[] }): boolean {
  const list = options.record[options.field];
  if (!Array.isArray(list)) return true;
  for (let index = 0; index < list.length; index++) {
    const element = recordAt(list[index]);
    if (element === undefined) continue;
    for (const field of options.fields) {
      const slot = wholeSlot(options.itemId, `${options.field}.${index}.${field}`, 'text');
      if (!rewriteMember({ record: element, field, slot, rewrite: options.rewrite })) return false;
    }
  }
  return true;
}

/**
 * The tool-poisoning check of the tools an item lists (`mcp_list_tools`, `tool_search_output`,
 * `additional_tools`): the model reads these definitions, on this turn or when the caller sends the
 * listing back, as much as declared tools. Runs on the upstream's text, before any rewrite; false on a
 * violation. One set lookup for every other item.
 */
export function checkToolListing(guard: ResponseGuard, item: OutputItem): boolean {
  if (!TOOL_LISTING_TYPES.has(item.type)) return true;
  const slots = listedToolSlots(item, `${String(item.type)}.tools`);
  return slots === undefined || guard.toolListing(slots);
}

/** Every string of the tools an MCP listing names (`tools[]`), each checked whole; false on a violation. */
function listedTools(guard: ResponseGuard, item: OutputItem, rewrite: RewriteText): boolean {
  if (item.tools === undefined || item.tools === null) return true;
  const listing = { tools: item.tools };
  if (!rewriteUnknownItem({ guard, record: listing, itemId: item.id, rewrite })) return false;
  item.tools = listing.tools;
  return true;
}

/**
 * Passes the texts of a tool item (API reference "Responses object" output items) through `rewrite` and
 * the tools it calls through the allowlist: MCP calls (`arguments` streamed as JSON, `output`, `error`)
 * and approval requests, the tools MCP servers list, code-interpreter code (streamed) and logs, local
 * shell and shell commands and environments, `apply_patch` operations, web and file search queries and
 * file search results, text typed by computer use, image prompts, programs, and the outputs of these
 * calls that the provider ran itself. Returns false on a violation, undefined when the item is not a
 * tool item.
 */
export function rewriteToolItem(
  guard: ResponseGuard,
  item: OutputItem,
  rewrite: RewriteText,
): boolean | undefined {
  const builtIn = BUILT_IN_TOOL_NAMES.get(String(item.type));
  if (builtIn !== undefined && !guard.allowTool(builtIn)) return false;
  const member = { record: item, itemId: item.id, rewrite };
  switch (item.type) {
    case 'mcp_call': {
      if (typeof item.name === 'string' && !guard.allowTool(item.name)) return false;
      const slot = slotOf('mcpArgs', item.id, undefined);
      return (
        rewriteMember({ record: item, field: 'arguments', slot, rewrite }) &&
        wholeMember({ ...member, field: 'output' }) &&
        wholeMember({ ...member, field: 'error' })
      );
    }
    case 'mcp_approval_request':
      // The model asks to call an MCP tool: the allowlist applies before the caller is even asked.
      if (typeof item.name === 'string' && !guard.allowTool(item.name)) return false;
      return wholeMember({ ...member, field: 'arguments', kind: 'json' });
    case 'mcp_list_tools':
      // Tool names, descriptions and input schemas come from MCP servers, not from the model, but they
      // are where MCP tool poisoning lives, and the caller's application shows and uses them: every string
      // of a listed tool is checked as text (a key, a personal value, a markdown exfiltration link) and its
      // placeholders are restored. A listing error is server text the caller reads.
      return wholeMember({ ...member, field: 'error' }) && listedTools(guard, item, rewrite);
    case 'code_interpreter_call':
      // `outputs[].url` of images points into the provider's own container: left as sent.
      return (
        rewriteMember({ record: item, field: 'code', slot: slotOf('code', item.id, undefined), rewrite }) &&
        wholeInElements({ ...member, field: 'outputs', fields: ['logs'] })
      );
    case 'local_shell_call': {
      const action = recordAt(item.action);
      if (action === undefined) return true;
      const inAction = { ...member, record: action };
      return (
        wholeStrings({ ...inAction, field: 'command' }) &&
        wholeEnvironment({ ...inAction, field: 'env' }) &&
        wholeMember({ ...inAction, field: 'working_directory' }) &&
        wholeMember({ ...inAction, field: 'user' })
      );
    }
    case 'shell_call': {
      const action = recordAt(item.action);
      return action === undefined || wholeStrings({ ...member, record: action, field: 'commands' });
    }
    case 'apply_patch_call': {
      const operation = recordAt(item.operation);
      if (operation === undefined) return true;
      const inOperation = { ...member, record: operation };
      return wholeMember({ ...inOperation, field: 'path' }) && wholeMember({ ...inOperation, field: 'diff' });
    }
    case 'web_search_call': {
      // What the model searched for. The URLs it opened are the provider's own fetches, and the pages
      // it cites come back as citations, which are checked there.
      const action = recordAt(item.action);
      if (action === undefined) return true;
      const inAction = { ...member, record: action };
      return (
        wholeMember({ ...inAction, field: 'query' }) &&
        wholeStrings({ ...inAction, field: 'queries' }) &&
        wholeMember({ ...inAction, field: 'pattern' })
      );
    }
    case 'file_search_call':
      // Queries are the model's; result texts are quoted from the caller's files, shown like tool output.
      return (
        wholeStrings({ ...member, field: 'queries' }) &&
        wholeInElements({ ...member, field: 'results', fields: ['text'] })
      );
    case 'computer_call': {
      // Text the model types into the computer, in `action` or in the newer `actions` list.
      const action = recordAt(item.action);
      return (
        (action === undefined || wholeMember({ ...member, record: action, field: 'text' })) &&
        wholeInElements({ ...member, field: 'actions', fields: ['text'] })
      );
    }
    case 'image_generation_call':
      // The prompt the model rewrote is text; `result` is the image itself (base64), out of reach of a
      // text check and left as sent, like the images it streams (`partial_image_b64`).
      return wholeMember({ ...member, field: 'revised_prompt' });
    case 'program':
      return wholeMember({ ...member, field: 'code' });
    case 'program_output':
      return wholeMember({ ...member, field: 'result' });
    case 'local_shell_call_output':
      // A JSON string per the API reference: restored values are JSON-escaped.
      return wholeMember({ ...member, field: 'output', kind: 'json' });
    case 'shell_call_output':
      return wholeInElements({ ...member, field: 'output', fields: ['stdout', 'stderr'] });
    case 'apply_patch_call_output':
      return wholeMember({ ...member, field: 'output' });
    default:
      return undefined;
  }
}
