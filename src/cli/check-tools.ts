import { readFileSync, statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { checkToolDefinitions, type ToolFindingSummary } from '../gateway/guard/tool-definition-guard.js';
import { toolDefinitionSlots } from '../gateway/providers/tool-definition-slots.js';
import { createGuard } from '../guard/create-guard.js';
import { loadPolicy } from '../policy/load-policy.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { CommandContext } from './command.js';

/** Largest tool file read (the gateway's body limit is 1 MiB by default; listings can be larger). */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const EXAMPLES = `
Input: a JSON request body of any supported API (chat, Responses, Anthropic: its "tools", the tool
listings in "input" and the structured-output schema), an MCP tools/list result ({"tools": [...]}, also
inside a JSON-RPC "result"), or a bare array of tools. Findings name a declared tool as tools[n], a
listed one by its list (input[2].tools[1]) and a schema by its path (response_format.json_schema...);
in --format json, "poisoned" and "secrets" hold declared tools' indices, "input[2].tools[1]" for
listed tools and "response-format" for a schema.
Exit status: 0 when every tool is clean, 1 when a tool is poisoned or holds a secret, 2 on bad input.

Examples:
  aegis check-tools request.json
  curl -s … | aegis check-tools - --format json
`;

function readInput(path: string): string {
  try {
    if (path === '-') return readFileSync(0, 'utf8');
    if (statSync(path).size > MAX_INPUT_BYTES) throw new Error('larger than 16 MB');
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AegisError(
      ERROR_CODES.INPUT_UNREADABLE,
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

/** The object holding `tools`: a request body, an MCP listing, a JSON-RPC answer, or a bare array. */
function toolHolder(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'the input is not JSON');
  }
  if (Array.isArray(value)) return { tools: value };
  if (value === null || typeof value !== 'object')
    throw new AegisError(ERROR_CODES.INVALID_ARGUMENT, 'the input must be a JSON object or array');
  const record = value as Record<string, unknown>;
  const result = record.result as Record<string, unknown> | undefined;
  if (
    !Array.isArray(record.tools) &&
    result !== null &&
    typeof result === 'object' &&
    Array.isArray(result.tools)
  )
    return result;
  return record;
}

/**
 * Where a finding is: a declared tool by its index (a number, as before), a listed tool by its list
 * (`input[2].tools[1]`), a structured-output schema as `response-format`.
 */
function location(finding: ToolFindingSummary): number | string {
  if (finding.source === 'response-format') return 'response-format';
  return finding.list === undefined ? (finding.tool ?? 0) : `${finding.list}[${finding.tool ?? 0}]`;
}

function describeFinding(finding: ToolFindingSummary): string {
  const rule = `${finding.ruleId} [${finding.severity}, score ${finding.score}]`;
  // A schema's field is its whole path (`response_format.json_schema.schema.properties.x.description`).
  if (finding.source === 'response-format') return `  ${finding.field}: ${rule}`;
  const name = finding.toolName === undefined ? '' : ` (${finding.toolName})`;
  return `  ${finding.list ?? 'tools'}[${finding.tool ?? 0}]${name} ${finding.field}: ${rule}`;
}

/** `aegis check-tools`: checks declared tool definitions for tool poisoning and secrets, as the gateway does. */
export function registerCheckTools(program: Command, context: CommandContext): void {
  program
    .command('check-tools')
    .description(
      'Check tool definitions (descriptions, schemas, parameter names) for tool poisoning and secrets.',
    )
    .argument('<file>', 'JSON file with the tools ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--policy <file|preset>',
      'policy for the secrets check: strict, balanced, permissive or a file',
      'balanced',
    )
    .addHelpText('after', EXAMPLES)
    .action((file: string, options: { format: string; policy: string }) => {
      const holder = toolHolder(readInput(file));
      const guard = createGuard({ policy: loadPolicy(options.policy) });
      const slots = toolDefinitionSlots(holder) ?? [];
      // Monitor mode: report every finding, change nothing, throw on nothing.
      const result = checkToolDefinitions({
        guard,
        slots,
        vault: guard.createVault(),
        mode: 'monitor',
        failMode: { default: 'closed', families: {} },
      });
      const findings = result?.findings ?? [];
      const poisoned = [...new Set(findings.filter((f) => f.detector === 'tool-poisoning').map(location))];
      const secrets = [...new Set(findings.filter((f) => f.family === 'secrets').map(location))];
      const tools = Array.isArray(holder.tools) ? holder.tools.length : 0;
      // Declared tools, listed tools and structured-output schemas, each counted once.
      const definitions = new Set(slots.map((slot) => `${slot.source ?? slot.list ?? 'tools'}:${slot.tool}`))
        .size;
      if (options.format === 'json') {
        process.stdout.write(
          `${JSON.stringify({ tools, texts: slots.length, poisoned, secrets, findings })}\n`,
        );
      } else {
        const lines = [
          `${definitions} definition(s), ${slots.length} text(s) checked: ${poisoned.length} poisoned, ${secrets.length} with secrets`,
        ];
        for (const finding of findings) lines.push(describeFinding(finding));
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (findings.length > 0) context.setExitCode(1);
    });
}
