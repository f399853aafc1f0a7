/**
 * A text inside a declared tool that the model reads: a description, a text inside the parameter
 * schema, or a parameter name. Holding the container and key (as `TextSlot` does) lets a redacted
 * description be written back without walking the body again.
 */
export interface ToolDefinitionSlot {
  container: Record<string, unknown> | unknown[];
  /** The key holding the text; for a parameter name, the name itself. */
  key: string | number;
  /** True for a parameter name: checked for poisoning only, never rewritten. */
  identifier: boolean;
  /**
   * Index of the tool in `tools` (or in the legacy `functions`, after the tools), or in the list named by
   * `list` for a listing of tools.
   */
  tool: number;
  /** For a tool of a listing (not a declared tool): where the list is, e.g. `input[2].tools`. */
  list?: string;
  /**
   * Set for a text of a structured-output schema (`response_format`, `text.format`, `output_format`,
   * `output_config.format`): not a tool, so `tool` means nothing and `field` holds the whole path.
   */
  source?: 'response-format';
  /**
   * Distinct for every tool of one body (declared, listed, or nested in a namespace), where `tool` repeats
   * across lists: the key for weighing the texts of one tool together. Set on every slot returned here.
   */
  group?: number;
  /** The tool's declared name, when it is a plain identifier (names are shown in block summaries). */
  toolName: string | undefined;
  /** Where in the tool, e.g. `function.parameters.properties.city.description` (no caller values). */
  field: string;
}

/** Reads the text of a tool-definition slot. */
export function toolSlotText(slot: ToolDefinitionSlot): string {
  return slot.identifier
    ? String(slot.key)
    : ((slot.container as Record<string | number, unknown>)[slot.key] as string);
}

/** Schema keys whose string values are structure (types, references, formats), not text for the model. */
const STRUCTURAL_KEYS = new Set(['type', '$ref', '$schema', '$id', 'format']);
/**
 * Nesting followed inside a schema: at least the largest `limits.jsonDepth` (1024), so in the gateway the
 * parser's bound always comes first and no text the model reads is left unchecked (a description nested
 * below a lower bound would pass unseen); this bound only keeps other callers' walks finite.
 */
const MAX_SCHEMA_DEPTH = 1024;
/** Parameter names shown in a field path; others (long or unusual) show as `*`, never repeated. */
const SAFE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function nameInPath(name: string): string {
  return SAFE_NAME.test(name) ? name : '*';
}

/**
 * Every text of a JSON schema (`parameters`, `input_schema`, a custom tool's `format`) that reaches the
 * model: descriptions, titles, enum values, defaults and examples at any depth, and the names of
 * properties, which a model reads as much as their descriptions ("full-schema poisoning").
 */
function pushSchemaSlots(options: {
  value: object;
  field: string;
  tool: number;
  toolName: string | undefined;
  slots: ToolDefinitionSlot[];
  depth: number;
}): void {
  if (options.depth > MAX_SCHEMA_DEPTH) return;
  const { value, field, tool, toolName, slots } = options;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (typeof item === 'string')
        slots.push({ container: value, key: index, identifier: false, tool, toolName, field });
      else if (item !== null && typeof item === 'object')
        pushSchemaSlots({ ...options, value: item, depth: options.depth + 1 });
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    const childField = `${field}.${nameInPath(key)}`;
    if (typeof child === 'string') {
      if (!STRUCTURAL_KEYS.has(key))
        slots.push({ container: record, key, identifier: false, tool, toolName, field: childField });
      continue;
    }
    if (child === null || typeof child !== 'object') continue;
    if (key === 'properties' && !Array.isArray(child)) {
      for (const name of Object.keys(child))
        slots.push({
          container: child as Record<string, unknown>,
          key: name,
          identifier: true,
          tool,
          toolName,
          field: childField,
        });
    }
    pushSchemaSlots({ ...options, value: child, field: childField, depth: options.depth + 1 });
  }
}

/** Free-text members of a tool object (every API; `title` is MCP's display name), and schema members. */
const TEXT_MEMBERS = ['description', 'server_description', 'title'] as const;
// `inputSchema` and `outputSchema` are the MCP spellings (`tools/list`), so a server's listing can be
// checked as it is; MCP `annotations` hold a `title` the client shows. Anthropic `input_examples` (tool
// use examples) are example inputs shown to the model with the tool: every string in them is read.
const SCHEMA_MEMBERS = [
  'parameters',
  'input_schema',
  'inputSchema',
  'output_schema',
  'outputSchema',
  'format',
  'annotations',
  'input_examples',
] as const;
/** Tools nested in a tool (a Responses `namespace` groups function and custom tools under `tools`). */
const MAX_NESTED_TOOLS_DEPTH = 2;

interface ToolSlotsOptions {
  holder: Record<string, unknown>;
  prefix: string;
  tool: number;
  toolName: string | undefined;
  slots: ToolDefinitionSlot[];
  list?: string | undefined;
  group: number;
  /** The next free group number of the body. */
  groups: { next: number };
  depth?: number;
}

function pushToolSlots(options: ToolSlotsOptions): void {
  const { holder, prefix, tool, toolName, slots } = options;
  const first = slots.length;
  // The tool's name is read by the model like a parameter name (`read_ssh_key_first`).
  if (typeof holder.name === 'string' && holder.name.length > 0)
    slots.push({
      container: holder,
      key: holder.name,
      identifier: true,
      tool,
      toolName,
      field: `${prefix}name`,
    });
  for (const key of TEXT_MEMBERS) {
    if (typeof holder[key] === 'string')
      slots.push({ container: holder, key, identifier: false, tool, toolName, field: `${prefix}${key}` });
  }
  for (const key of SCHEMA_MEMBERS) {
    const schema = holder[key];
    if (schema !== null && typeof schema === 'object')
      pushSchemaSlots({ value: schema, field: `${prefix}${key}`, tool, toolName, slots, depth: 0 });
  }
  for (let index = first; index < slots.length; index++) {
    const slot = slots[index]!;
    slot.group = options.group;
    if (options.list !== undefined) slot.list = options.list;
  }
  const depth = options.depth ?? 0;
  const nested = holder.tools;
  if (!Array.isArray(nested) || depth >= MAX_NESTED_TOOLS_DEPTH) return;
  for (let index = 0; index < nested.length; index++) {
    const inner = nested[index];
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) continue;
    pushToolSlots({
      ...options,
      holder: inner as Record<string, unknown>,
      toolName: toolNameOf(inner as Record<string, unknown>) ?? toolName,
      prefix: `${prefix}tools.${index}.`,
      group: options.groups.next++,
      depth: depth + 1,
    });
  }
}

function toolNameOf(record: Record<string, unknown>): string | undefined {
  const inner = (record.function ?? record.custom) as { name?: unknown } | null | undefined;
  const name = inner !== null && typeof inner === 'object' ? inner.name : record.name;
  return typeof name === 'string' && SAFE_NAME.test(name) ? name : undefined;
}

/**
 * The texts of every declared tool, for the tool-definition check. One walk serves the three APIs:
 * OpenAI Chat `tools[].function` / `tools[].custom` and legacy `functions[]`; Responses `tools[]` with the
 * members at the top (function, custom, `mcp` with `server_description`, `namespace` with its `tools`);
 * Anthropic `tools[]` with `description` and `input_schema`; and the listings of tools a Responses caller
 * sends back in `input` (`TOOL_LISTING_TYPES`); and the structured-output schemas (`responseFormats`).
 * Returns undefined when the body declares and lists no tool and no schema (the common path).
 */
export function toolDefinitionSlots(body: Record<string, unknown>): ToolDefinitionSlot[] | undefined {
  const tools = Array.isArray(body.tools) ? body.tools : undefined;
  const functions = Array.isArray(body.functions) ? body.functions : undefined;
  const formats = responseFormats(body);
  if (tools === undefined && functions === undefined && formats === undefined && !Array.isArray(body.input))
    return undefined;
  const slots: ToolDefinitionSlot[] = [];
  const groups = { next: 0 };
  if (formats !== undefined)
    for (const format of formats) pushResponseFormat({ ...format, slots, group: groups.next++ });
  if (tools !== undefined || functions !== undefined)
    pushToolList({ list: [...(tools ?? []), ...(functions ?? [])], slots, groups });
  // Listings a Responses caller sends back in `input` are read by the model like declared tools.
  if (Array.isArray(body.input)) {
    for (let index = 0; index < body.input.length; index++) {
      const item = body.input[index];
      if (
        item !== null &&
        typeof item === 'object' &&
        TOOL_LISTING_TYPES.has((item as { type?: unknown }).type)
      )
        pushListing({ item: item as Record<string, unknown>, list: `input[${index}].tools`, slots, groups });
    }
  }
  return slots.length === 0 ? undefined : slots;
}

/** A structured-output schema declared in a request body, and the path of the object holding it. */
interface ResponseFormat {
  holder: Record<string, unknown>;
  path: string;
}

function objectAt(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The structured-output schemas of a body: the model reads their name, description and schema texts as it
 * reads a tool's, so they carry the same poisoning. OpenAI Chat `response_format: {type: 'json_schema',
 * json_schema: {name, description, schema}}`; Responses `text.format: {type: 'json_schema', name,
 * description, schema}`; Anthropic `output_config.format` and the beta `output_format` (`{type:
 * 'json_schema', schema}`). Only objects of type `json_schema` count (`output_format` is a string elsewhere).
 */
function responseFormats(body: Record<string, unknown>): ResponseFormat[] | undefined {
  let formats: ResponseFormat[] | undefined;
  const add = (holder: Record<string, unknown> | undefined, path: string) => {
    if (holder === undefined) return;
    formats ??= [];
    formats.push({ holder, path });
  };
  const chat = objectAt(body.response_format);
  if (chat?.type === 'json_schema') add(objectAt(chat.json_schema), 'response_format.json_schema');
  const text = objectAt(objectAt(body.text)?.format);
  if (text?.type === 'json_schema') add(text, 'text.format');
  const beta = objectAt(body.output_format);
  if (beta?.type === 'json_schema') add(beta, 'output_format');
  const config = objectAt(objectAt(body.output_config)?.format);
  if (config?.type === 'json_schema') add(config, 'output_config.format');
  return formats;
}

/** The name (an identifier the model reads), description and schema texts of a structured-output format. */
function pushResponseFormat(options: ResponseFormat & { slots: ToolDefinitionSlot[]; group: number }): void {
  const { holder, path, slots, group } = options;
  const first = slots.length;
  const base = { tool: 0, toolName: undefined, group, source: 'response-format' as const };
  if (typeof holder.name === 'string' && holder.name.length > 0)
    slots.push({ ...base, container: holder, key: holder.name, identifier: true, field: `${path}.name` });
  if (typeof holder.description === 'string')
    slots.push({
      ...base,
      container: holder,
      key: 'description',
      identifier: false,
      field: `${path}.description`,
    });
  const schema = holder.schema;
  if (schema !== null && typeof schema === 'object')
    pushSchemaSlots({
      value: schema,
      field: `${path}.schema`,
      tool: 0,
      toolName: undefined,
      slots,
      depth: 0,
    });
  for (let index = first; index < slots.length; index++) {
    const slot = slots[index]!;
    slot.group = group;
    slot.source = 'response-format';
  }
}

/**
 * Responses items (input and output) that list tool definitions in `tools`: an MCP server's tools as the
 * provider listed them (`mcp_list_tools`: name, description, `input_schema`, `annotations`), tools loaded by
 * tool search (`tool_search_output`) and tools added mid-conversation (`additional_tools`), the latter two
 * in the shape of declared Responses tools. (Anthropic's MCP connector lists nothing back: its
 * `mcp_tool_use` and `mcp_tool_result` blocks carry calls and results, not definitions.)
 */
export const TOOL_LISTING_TYPES: ReadonlySet<unknown> = new Set([
  'mcp_list_tools',
  'tool_search_output',
  'additional_tools',
]);

/**
 * The texts of the tools a listing item holds (see `TOOL_LISTING_TYPES`), each slot naming `list`.
 * Undefined when it lists no tool.
 */
export function listedToolSlots(
  item: Record<string, unknown>,
  list: string,
): ToolDefinitionSlot[] | undefined {
  const slots: ToolDefinitionSlot[] = [];
  pushListing({ item, list, slots, groups: { next: 0 } });
  return slots.length === 0 ? undefined : slots;
}

function pushListing(options: {
  item: Record<string, unknown>;
  list: string;
  slots: ToolDefinitionSlot[];
  groups: { next: number };
}): void {
  const { item, list, slots, groups } = options;
  if (Array.isArray(item.tools)) pushToolList({ list: item.tools, slots, listPath: list, groups });
}

function pushToolList(options: {
  list: unknown[];
  slots: ToolDefinitionSlot[];
  listPath?: string;
  groups: { next: number };
}): void {
  const { list, slots, listPath, groups } = options;
  for (let index = 0; index < list.length; index++) {
    const tool = list[index];
    if (tool === null || typeof tool !== 'object' || Array.isArray(tool)) continue;
    const record = tool as Record<string, unknown>;
    const toolName = toolNameOf(record);
    const group = groups.next++;
    pushToolSlots({
      holder: record,
      prefix: '',
      tool: index,
      toolName,
      slots,
      list: listPath,
      group,
      groups,
    });
    for (const nested of ['function', 'custom'] as const) {
      const inner = record[nested];
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        pushToolSlots({
          holder: inner as Record<string, unknown>,
          prefix: `${nested}.`,
          tool: index,
          toolName,
          slots,
          list: listPath,
          group,
          groups,
        });
    }
  }
}
