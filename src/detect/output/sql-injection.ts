import { type PayloadRule, skipUpToFourSpaces } from './payload-rule.js';

// Classic SQL injection payload shapes (OWASP Testing Guide, WSTG-INPV-05). An ordinary query explained in
// a code block (`SELECT … UNION SELECT …`, `DELETE FROM …;`) has none of the tells these rules need: a
// quote closing a string literal right before the payload, tautologies, stacked statements after a quote,
// dangerous procedures, or time delays chained with AND/OR.

const UNION_TELLS =
  /\bnull\b|@@version|\bversion\s{0,2}\(|\buser\s{0,2}\(|\bdatabase\s{0,2}\(|\bconcat(?:_ws)?\s{0,2}\(|group_concat|load_file|information_schema|\bchar\s{0,2}\(|0x[0-9a-f]{4}|--\s|#\s{0,2}$|^\s{0,2}\d{1,3}\s{0,2},\s{0,2}\d{1,3}/im;

const QUOTES = ["'", '"'];

/**
 * Where a tautology can begin: a quote, an optional `)`, at most four whitespace characters, then `o` of
 * `or` (either case) or `|` of `||`. Whitespace and `)` are distinct from those, so reading them greedily
 * reaches the only place the pattern can look for `or`.
 */
function tautologyFits(text: string, index: number): boolean {
  let at = index + 1;
  if (text.charCodeAt(at) === 41) at++;
  const code = text.charCodeAt(skipUpToFourSpaces(text, at));
  return code === 111 || code === 79 || code === 124;
}

/**
 * Where a stacked query can begin: a quote, at most four whitespace characters, an optional `)`, at most
 * four more, then `;` (read greedily as in `tautologyFits`).
 */
function stackedQueryFits(text: string, index: number): boolean {
  let at = skipUpToFourSpaces(text, index + 1);
  if (text.charCodeAt(at) === 41) at++;
  return text.charCodeAt(skipUpToFourSpaces(text, at)) === 59;
}

/** SQL injection payload rules. */
export const SQL_INJECTION_RULES: readonly PayloadRule[] = [
  {
    id: 'output.sql-tautology',
    type: 'SQL_INJECTION',
    // `' OR 1=1 --`, `' or 'a'='a`, `" OR ""="`: both sides of the comparison are equal.
    pattern: /['"]\)?\s{0,4}(?:or|\|\|)\s{1,4}['"]?(\w{0,12})['"]?\s{0,3}=\s{0,3}['"]?(\w{0,12})/,
    score: 0.9,
    hints: ['='],
    requires: ["'", '"'],
    starts: { characters: QUOTES, fits: tautologyFits },
    confirm: ({ match }) =>
      (match[1] ?? '').toLowerCase() === (match[2] ?? '').toLowerCase() ? 0.9 : undefined,
  },
  {
    id: 'output.sql-comment-truncation',
    type: 'SQL_INJECTION',
    // `admin'--`, `admin'#`, `1');--`: a quote closes the literal and a comment cuts the rest of the query.
    pattern: /\w['"]\)?;?(?:--|#|\/\*)/,
    score: 0.55,
    hints: ['--', '#', '/*'],
    requires: ["'", '"'],
  },
  {
    id: 'output.sql-union-select',
    type: 'SQL_INJECTION',
    pattern: /\bunion[\s/*]{1,20}(?:all[\s/*]{1,20})?select\b/,
    score: 0.85,
    hints: ['union'],
    confirm: ({ text, start, end }) => {
      const before = text.slice(Math.max(0, start - 8), start);
      const after = text.slice(end, end + 160);
      if (/['")]\s{0,4}$|\d['"]?\s{0,4}$/.test(before) || UNION_TELLS.test(after)) return 0.85;
      return undefined;
    },
  },
  {
    id: 'output.sql-stacked-query',
    type: 'SQL_INJECTION',
    // `'; DROP TABLE users; --` — a new statement right after a closed literal.
    pattern:
      /['"]\s{0,4}\)?\s{0,4};\s{0,4}(?:drop\s{1,5}(?:table|database)|delete\s{1,5}from|truncate\s{1,5}table|shutdown|insert\s{1,5}into|update\s{1,5}\w{1,64}\s{1,5}set|exec(?:ute)?\s|create\s{1,5}user|grant\s)/,
    score: 0.92,
    hints: [';'],
    requires: ["'", '"'],
    starts: { characters: QUOTES, fits: stackedQueryFits },
  },
  {
    id: 'output.sql-dangerous-procedure',
    type: 'SQL_INJECTION',
    pattern: /\b(?:xp_cmdshell|sp_oacreate|sp_execute_external_script|xp_regread|xp_dirtree|xp_fileexist)\b/,
    score: 0.9,
    hints: ['xp_', 'sp_'],
    requires: ['_'],
  },
  {
    id: 'output.sql-time-delay',
    type: 'SQL_INJECTION',
    // Blind injection: `' AND SLEEP(5)`, `1 OR pg_sleep(10)`, `'; WAITFOR DELAY '0:0:5'`, `BENCHMARK(5000000,…)`.
    pattern:
      /(?:\b(?:and|or)\s{1,4}|['";]\s{0,4}(?:select\s{1,4})?)(?:sleep|pg_sleep)\s{0,3}\(\s{0,3}\d{1,3}|\bwaitfor\s{1,5}delay\s{1,5}['"]\d|\bbenchmark\s{0,3}\(\s{0,3}\d{5,12}\s{0,3},/,
    score: 0.85,
    hints: ['sleep', 'waitfor', 'benchmark'],
    requires: ['(', "'", '"'],
  },
  {
    id: 'output.sql-file-access',
    type: 'SQL_INJECTION',
    pattern: /\binto\s{1,5}(?:out|dump)file\s{1,5}['"]|\bload_file\s{0,3}\(\s{0,3}['"0]/,
    score: 0.8,
    hints: ['outfile', 'dumpfile', 'load_file'],
    requires: ['(', "'", '"'],
  },
];

/** Exported for the ReDoS test. */
export const SQL_PATTERNS: readonly RegExp[] = [
  ...SQL_INJECTION_RULES.map((rule) => rule.pattern),
  UNION_TELLS,
];
