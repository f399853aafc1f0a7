import { parse, tokenize } from '@huggingface/jinja';
import { makeFinding, printable } from '../finding.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';

// Attributes that lead from any template value to Python internals (the classic SSTI chains).
const ESCAPE_NAMES = new Set([
  '__class__',
  '__globals__',
  '__subclasses__',
  '__builtins__',
  '__import__',
  '__mro__',
  'mro',
  '__base__',
  '__bases__',
  '__init__',
  '__dict__',
  '__getattribute__',
  '__code__',
  '__func__',
  '__self__',
  '__module__',
  '__reduce__',
  '__reduce_ex__',
  '__loader__',
  '__spec__',
  '__getitem__',
  '__call__',
  '__new__',
  '__name__',
  'func_globals',
  'f_globals',
  'gi_frame',
  'tb_frame',
  'cr_frame',
  '_TemplateReference__context',
]);

// Attribute names chat templates have no reason to use; suspicious on their own.
const RISKY_ATTRIBUTES = new Set([
  'os',
  'popen',
  'subprocess',
  'eval',
  'exec',
  'system',
  'import_module',
  '_module',
  'modules',
  'environ',
  'read',
  'spawn',
]);

// Jinja/Flask globals used as entry points for escapes; HF chat templates do not have them.
const RISKY_GLOBALS = new Set([
  'cycler',
  'joiner',
  'lipsum',
  'config',
  'request',
  'self',
  'url_for',
  'get_flashed_messages',
  'getattr',
  'eval',
  'exec',
  '__builtins__',
  '__import__',
  'os',
  'chr',
]);

const MAX_NODES = 200_000;
const MAX_DEPTH = 400;

interface Hit {
  severity: 'critical' | 'medium';
  what: string;
}

function isEscapeName(text: string): boolean {
  return ESCAPE_NAMES.has(text) || /^__[A-Za-z]{1,40}__$/.test(text);
}

/** Folds string literals joined with `+` or `~` so `'__cla' ~ 'ss__'` is seen as `__class__`. */
function constantString(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const record = node as Record<string, unknown>;
  if (record.type === 'StringLiteral' && typeof record.value === 'string') return record.value;
  if (record.type === 'BinaryExpression') {
    const operator = (record.operator as { value?: string } | undefined)?.value;
    if (operator !== '+' && operator !== '~') return undefined;
    const left = constantString(record.left);
    const right = constantString(record.right);
    return left !== undefined && right !== undefined ? (left + right).slice(0, 4096) : undefined;
  }
  return undefined;
}

function inspectNode(record: Record<string, unknown>, hits: Hit[]): void {
  const type = record.type;
  if (type === 'Identifier' && typeof record.value === 'string') {
    if (isEscapeName(record.value)) hits.push({ severity: 'critical', what: record.value });
    else if (RISKY_GLOBALS.has(record.value)) hits.push({ severity: 'medium', what: record.value });
  } else if (type === 'MemberExpression') {
    const property = record.property as Record<string, unknown> | undefined;
    const name = record.computed ? constantString(property) : (property?.value as string | undefined);
    if (typeof name === 'string') {
      if (isEscapeName(name)) hits.push({ severity: 'critical', what: name });
      else if (RISKY_ATTRIBUTES.has(name)) hits.push({ severity: 'medium', what: name });
    }
  } else if (type === 'StringLiteral' || type === 'BinaryExpression') {
    const text = constantString(record);
    if (
      text !== undefined &&
      /__(?:class|globals|subclasses|builtins|import|mro|base|bases|init|dict|code)__/.test(text)
    ) {
      hits.push({ severity: 'critical', what: `string "${printable(text, 40)}"` });
    }
  }
}

function walk(root: unknown): Hit[] {
  const hits: Hit[] = [];
  const pending: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  let visited = 0;
  while (pending.length > 0 && visited < MAX_NODES) {
    const { node, depth } = pending.pop() as { node: unknown; depth: number };
    if (typeof node !== 'object' || node === null || depth > MAX_DEPTH) continue;
    visited++;
    if (Array.isArray(node)) {
      for (const child of node) pending.push({ node: child, depth: depth + 1 });
      continue;
    }
    if (node instanceof Map) {
      for (const [key, value] of node)
        pending.push({ node: key, depth: depth + 1 }, { node: value, depth: depth + 1 });
      continue;
    }
    const record = node as Record<string, unknown>;
    inspectNode(record, hits);
    for (const value of Object.values(record)) {
      if (typeof value === 'object' && value !== null) pending.push({ node: value, depth: depth + 1 });
    }
  }
  return hits;
}

/**
 * Checks a Jinja chat template by parsing it into a syntax tree with @huggingface/jinja (tokenizer and
 * parser only; the template is never rendered) and looking for routes to Python internals.
 */
export function checkChatTemplate(template: string, location: string): ScanFinding[] {
  const findings: ScanFinding[] = [];
  let hits: Hit[];
  try {
    hits = walk(parse(tokenize(template, { lstrip_blocks: true, trim_blocks: true })));
  } catch (error) {
    findings.push(
      makeFinding({
        rule: RULES.templateParse,
        message: `chat template does not parse: ${printable(error instanceof Error ? error.message : String(error), 100)}`,
        location,
      }),
    );
    // Jinja2 may still accept what this parser rejects, so fall back to a plain search of the text.
    const dunder = /__(?:class|globals|subclasses|builtins|import|mro|base|bases|init|dict|code)__/.exec(
      template,
    );
    hits = dunder ? [{ severity: 'critical', what: `text ${dunder[0]}` }] : [];
  }
  if (/\\x5f|\\u005f|\\137/i.test(template)) hits.push({ severity: 'medium', what: 'escaped underscores' });
  const critical = hits.filter((hit) => hit.severity === 'critical');
  const chosen = critical.length > 0 ? critical : hits;
  if (chosen.length > 0) {
    const names = [...new Set(chosen.map((hit) => hit.what))].slice(0, 6).join(', ');
    findings.push(
      makeFinding({
        rule: critical.length > 0 ? RULES.templateEscape : RULES.templateSuspicious,
        message: `chat template uses ${names}`,
        location,
      }),
    );
  }
  return findings;
}
