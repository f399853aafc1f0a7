import type { ByteSource } from '../byte-source.js';
import { makeFinding } from '../finding.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { checkChatTemplate } from './chat-template.js';
import { checkKerasConfig, looksLikeKerasConfig } from './keras-config.js';
import type { FormatResult, ScanContext } from './scan-context.js';

/** Chat templates in a tokenizer_config.json: a string, or a list of `{name, template}`. */
function templatesOf(value: Record<string, unknown>): Array<{ name: string; template: string }> {
  const template = value.chat_template;
  if (typeof template === 'string') return [{ name: 'chat_template', template }];
  if (!Array.isArray(template)) return [];
  return template.flatMap((entry, index) =>
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as Record<string, unknown>).template === 'string'
      ? [
          {
            name: `chat_template[${String((entry as Record<string, unknown>).name ?? index)}]`,
            template: (entry as Record<string, string>).template as string,
          },
        ]
      : [],
  );
}

/** JSON files: tokenizer configs (chat templates) and Keras configs; other JSON has nothing to check. */
export function scanJson(source: ByteSource, context: ScanContext): FormatResult {
  if (source.size > context.limits.maxJsonBytes) {
    return {
      findings: [
        makeFinding({
          rule: RULES.scanLimit,
          message: `JSON larger than ${context.limits.maxJsonBytes} bytes was not parsed`,
          location: context.location,
        }),
      ],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(source.read(0, source.size)));
  } catch {
    return scanText(source, context);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { findings: [], format: 'json' };
  const record = value as Record<string, unknown>;
  const findings: ScanFinding[] = [];
  const templates = templatesOf(record);
  for (const { name, template } of templates)
    findings.push(...checkChatTemplate(template, `${context.location}:${name}`));
  if (looksLikeKerasConfig(record)) {
    findings.push(...checkKerasConfig(record, context.location));
    return { findings, format: 'keras-config' };
  }
  return { findings, format: templates.length > 0 ? 'tokenizer-config' : 'json' };
}

/** Plain text files are checked as Jinja templates when they contain template syntax. */
export function scanText(source: ByteSource, context: ScanContext): FormatResult {
  if (source.size > context.limits.maxJsonBytes) return { findings: [], format: 'text' };
  const text = new TextDecoder().decode(source.read(0, source.size));
  if (!/\{\{|\{%/.test(text)) return { findings: [], format: 'text' };
  return { findings: checkChatTemplate(text, context.location), format: 'jinja-template' };
}
