import { pathToFileURL } from 'node:url';
import type { Severity } from '../../spec/severity.js';
import { RULES } from '../rules.js';
import type { ScanReport } from '../types.js';

/** Options of `renderSarif`. */
export interface RenderSarifOptions {
  toolVersion: string;
}

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** SARIF result level for a severity (SARIF 2.1.0 §3.27.10). */
function level(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium' || severity === 'low') return 'warning';
  return 'note';
}

function artifactUri(path: string): string {
  return path.startsWith('/') ? pathToFileURL(path).href : path.split('/').map(encodeURIComponent).join('/');
}

/** The report as a SARIF 2.1.0 log (one run, rules from the catalogue, one result per finding). */
export function renderSarif(report: ScanReport, options: RenderSarifOptions): string {
  const rules = Object.values(RULES);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = report.files.flatMap((file) =>
    file.findings.map((finding) => ({
      ruleId: finding.rule,
      ...(ruleIndex.has(finding.rule) ? { ruleIndex: ruleIndex.get(finding.rule) } : {}),
      level: level(finding.severity),
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifactUri(file.path) } },
          logicalLocations: [{ fullyQualifiedName: finding.location, kind: 'member' }],
        },
      ],
      properties: {
        severity: finding.severity,
        verdict: file.verdict,
        format: file.format,
        references: finding.references,
      },
    })),
  );
  const notifications = report.files
    .filter((file) => file.verdict === 'error')
    .map((file) => ({
      level: 'error',
      message: { text: `${file.path}: ${file.error ?? 'could not be scanned'}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(file.path) } } }],
    }));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aegis-scan',
            version: options.toolVersion,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[.-](\w)/g, (_match, letter: string) => letter.toUpperCase()),
              shortDescription: { text: rule.title },
              defaultConfiguration: { level: level(rule.severity) },
              properties: { tags: [...rule.references], severity: rule.severity },
            })),
          },
        },
        invocations: [
          { executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications },
        ],
        artifacts: report.files.map((file) => ({
          location: { uri: artifactUri(file.path) },
          // SARIF 2.1.0 §3.24.5: -1 when the length is unknown (a file that could not be opened).
          length: file.verdict === 'error' && file.size === 0 ? -1 : file.size,
        })),
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
