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
  /** Index of the tool in `tools` (or in the legacy `functions`, after the tools). */
  tool: number;
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

/** Free-text members of a tool object (every API), and the members that hold a schema. */
const TEXT_MEMBERS = ['description', 'server_description'] as const;
// `inputSchema` is the MCP spelling (`tools/list`), so a server's listing can be checked as it is.
const SCHEMA_MEMBERS = ['parameters', 'input_schema', 'inputSchema', 'format'] as const;

function pushToolSlots(options: {
  holder: Record<string, unknown>;
  prefix: string;
  tool: number;
  toolName: string | undefined;
  slots: ToolDefinitionSlot[];
}): void {
  const { holder, prefix, tool, toolName, slots } = options;
  for (const key of TEXT_MEMBERS) {
    if (typeof holder[key] === 'string')
      slots.push({ container: holder, key, identifier: false, tool, toolName, field: `${prefix}${key}` });
  }
  for (const key of SCHEMA_MEMBERS) {
    const schema = holder[key];
    if (schema !== null && typeof schema === 'object')
      pushSchemaSlots({ value: schema, field: `${prefix}${key}`, tool, toolName, slots, depth: 0 });
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
 * members at the top (function, custom, `mcp` with `server_description`); Anthropic `tools[]` with
 * `description` and `input_schema`. Returns undefined when the body declares no tool (the common path).
 */
export function toolDefinitionSlots(body: Record<string, unknown>): ToolDefinitionSlot[] | undefined {
  const tools = Array.isArray(body.tools) ? body.tools : undefined;
  const functions = Array.isArray(body.functions) ? body.functions : undefined;
  if (tools === undefined && functions === undefined) return undefined;
  const slots: ToolDefinitionSlot[] = [];
  const declared = [...(tools ?? []), ...(functions ?? [])];
  for (let index = 0; index < declared.length; index++) {
    const tool = declared[index];
    if (tool === null || typeof tool !== 'object' || Array.isArray(tool)) continue;
    const record = tool as Record<string, unknown>;
    const toolName = toolNameOf(record);
    pushToolSlots({ holder: record, prefix: '', tool: index, toolName, slots });
    for (const nested of ['function', 'custom'] as const) {
      const inner = record[nested];
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        pushToolSlots({
          holder: inner as Record<string, unknown>,
          prefix: `${nested}.`,
          tool: index,
          toolName,
          slots,
        });
    }
  }
  return slots.length === 0 ? undefined : slots;
}
