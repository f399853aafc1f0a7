import type { PiiCandidate, Recognizer, ScanInput } from './candidate.js';
import { clampScore } from './candidate.js';
import { contextScore, contextWindow, hasAnyWord } from './context-words.js';
import { execAll } from './exec-all.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Dotted quads with strict octets; not part of a longer dotted run such as `1.3.6.1.4.1` or `1.2.3.4.5`.
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, 'g');
// IPv6 candidates: colon-separated hex groups, optionally ending in an embedded IPv4 (RFC 4291 §2.2).
// The shape is loose on purpose; `parseIpv6` decides.
// Sticky: tried only where a colon is, starting at the hex digits just before it.
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:.])/y;
const DIGIT_DOT_DIGIT = /\d\.\d/;

/**
 * `DIGIT_DOT_DIGIT.test(text)` from the digit runs: the first digit of such a triple ends a run (a dot
 * follows it) and the second starts one, so checking the character after each run is the same test
 * without another pass over the text.
 */
function hasDigitDotDigit(input: ScanInput): boolean {
  const { text } = input;
  // Runs followed by a dot are in this list (with those followed by other separators).
  for (const run of input.runsBeforeSeparator) {
    if (text.charCodeAt(run.end) !== 46) continue;
    const next = text.charCodeAt(run.end + 1);
    if (next >= 48 && next <= 57) return true;
  }
  return false;
}

function isHexCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/**
 * True when a second colon follows this one after at most four hex digits. From the hex digits right
 * before a colon, IPV6 takes them and the colon as its first group (only hex digits lie between), and
 * needs a second `[0-9A-Fa-f]{0,4}:` group right after; without one the pattern fails there, so the
 * colons of prose, `key: value` and `scheme://` are passed over without a pattern call.
 */
function secondGroupFollows(text: string, colon: number): boolean {
  for (let index = colon + 1; index <= colon + 5; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 58) return true;
    if (!isHexCode(code)) return false;
  }
  return false;
}

/** IPv6 candidates: each colon, backed up over up to four hex digits, tried with the sticky pattern. */
export function ipv6Candidates(text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  let colon = text.indexOf(':');
  while (colon >= 0) {
    if (!secondGroupFollows(text, colon)) {
      colon = text.indexOf(':', colon + 1);
      continue;
    }
    let start = colon;
    while (start > 0 && colon - start < 4 && isHexCode(text.charCodeAt(start - 1))) start -= 1;
    IPV6.lastIndex = start;
    const match = IPV6.exec(text);
    if (match) {
      matches.push(match);
      colon = text.indexOf(':', match.index + match[0].length);
    } else colon = text.indexOf(':', colon + 1);
  }
  return matches;
}
const IPV4_EXACT = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** Parses RFC 4291 text form; returns the eight 16-bit groups, or undefined when invalid. */
export function parseIpv6(value: string): number[] | undefined {
  let head = value;
  const tail: number[] = [];
  const lastColon = value.lastIndexOf(':');
  const last = value.slice(lastColon + 1);
  if (last.includes('.')) {
    if (!IPV4_EXACT.test(last)) return undefined;
    const octets = last.split('.').map(Number);
    tail.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    head = value.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (!groups.every((group) => HEX_GROUP.test(group))) return undefined;
    return groups.map((group) => Number.parseInt(group, 16));
  };
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (left === undefined || right === undefined) return undefined;
  const present = left.length + right.length + tail.length;
  if (halves.length === 1) return present === 8 ? [...left, ...tail] : undefined;
  if (present > 7) return undefined;
  return [...left, ...new Array<number>(8 - present).fill(0), ...right, ...tail];
}

/** True for loopback, private, link-local, unspecified, broadcast, multicast and documentation IPv4. */
export function ipv4Internal(octets: readonly number[]): boolean {
  const [a, b] = octets as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

function ipv6Internal(groups: readonly number[]): boolean {
  const first = groups[0]!;
  return (
    groups.slice(0, 7).every((group) => group === 0) || // :: and ::1
    (first & 0xffc0) === 0xfe80 || // link-local
    (first & 0xfe00) === 0xfc00 || // unique local
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && groups[1] === 0x0db8) // documentation, RFC 3849
  );
}

const POSITIVE = [
  'ip',
  'ipv4',
  'ipv6',
  'address',
  'server',
  'host',
  'connect',
  'connected',
  'from',
  'login',
  'client',
];
const VERSION_WORDS = ['version', 'v', 'ver', 'release', 'build', 'oid', 'snmp'];

/** IP_ADDRESS (v4 and v6); internal and loopback addresses score lower. */
export const ipAddressRecognizer: Recognizer = {
  name: 'ip-address',
  types: ['IP_ADDRESS'],
  patterns: [IPV4, IPV6, IPV4_EXACT, HEX_GROUP, DIGIT_DOT_DIGIT],
  find(input: ScanInput): PiiCandidate[] {
    const { text } = input;
    const found: PiiCandidate[] = [];
    if (input.hasDigit && hasDigitDotDigit(input)) {
      for (const match of execAll(IPV4, text)) {
        const start = match.index;
        const end = start + match[0].length;
        const octets = match[0].split('.').map(Number);
        let base = ipv4Internal(octets) ? 0.35 : 0.6;
        if (octets.every((octet) => octet < 10)) base = 0.3; // 1.2.3.4 reads like a version
        const before = text.slice(Math.max(0, start - 12), start).toLowerCase();
        if (
          /v$/.test(before) ||
          hasAnyWord(contextWindow({ text, start, end, before: 12, after: 0 }), VERSION_WORDS)
        ) {
          base -= 0.3;
        }
        const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.2 });
        found.push({
          type: 'IP_ADDRESS',
          start,
          end,
          score: clampScore(score),
          severity: 'low',
          ruleId: 'pii.ip-address',
        });
      }
    }
    if (text.includes(':')) {
      for (const match of ipv6Candidates(text)) {
        const groups = parseIpv6(match[0]);
        if (groups === undefined) continue;
        const start = match.index;
        const end = start + match[0].length;
        const written = match[0]
          .split(':')
          .reduce((count, group) => count + (group === '' ? 0 : group.includes('.') ? 2 : 1), 0);
        let base = ipv6Internal(groups) ? 0.35 : 0.65;
        if (match[0].includes('::') && written < 3 && !ipv6Internal(groups)) base = 0.3;
        const score = contextScore({ text, start, end, base, positive: POSITIVE, boost: 0.2 });
        found.push({
          type: 'IP_ADDRESS',
          start,
          end,
          score: clampScore(score),
          severity: 'low',
          ruleId: 'pii.ip-address',
        });
      }
    }
    return found;
  },
};
