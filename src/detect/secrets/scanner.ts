import { Buffer } from 'node:buffer';
import { AegisError, ERROR_CODES } from '../../spec/errors.js';
import type { Matcher, SecretMatch } from './matcher.js';

interface AnchorEntry {
  /** The anchor, lower-cased when `caseInsensitive`. */
  anchor: string;
  caseInsensitive: boolean;
  matchers: Matcher[];
}

/** True when `anchor` occurs at `index` of `text`, ignoring ASCII case when asked. */
function anchorAt(text: string, index: number, entry: AnchorEntry): boolean {
  if (!entry.caseInsensitive) return text.startsWith(entry.anchor, index);
  const { anchor } = entry;
  if (index + anchor.length > text.length) return false;
  for (let offset = 0; offset < anchor.length; offset++) {
    let code = text.charCodeAt(index + offset);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== anchor.charCodeAt(offset)) return false;
  }
  return true;
}

function caseVariants(code: number): number[] {
  if (code >= 97 && code <= 122) return [code, code - 32];
  return [code];
}

/** Positions scanned per byte copy of the text by default (the copy buffer holds this many plus eight). */
const SCAN_CHUNK = 16_384;

/** Triples hashed to this many bits key the four-character filter: 2^13 blocks of 128 bits, 128 KiB. */
const QUAD_TRIPLE_BITS = 13;

/** Multiplicative hash of three masked codes (21 bits) to `QUAD_TRIPLE_BITS` bits. */
function tripleHash(triple: number): number {
  return Math.imul(triple, 0x9e3779b1) >>> (32 - QUAD_TRIPLE_BITS);
}

/** What one scan of one text keeps; the maps are made when a matcher first runs (most texts run none). */
interface ScanState {
  found: SecretMatch[];
  scratch: Map<Matcher, unknown> | undefined;
  /** Where each matcher's last match ended: an anchor inside it would only find an overlapping match. */
  matchedUntil: Map<Matcher, number> | undefined;
}

/** Finds secrets by scanning once for every matcher's anchors. */
export interface SecretScanner {
  scan(text: string): SecretMatch[];
}

/**
 * Builds a scanner over `matchers`. Anchors are looked up by their first two (ASCII) characters in a
 * 128×128 table, so one tight pass over the text finds every candidate; a single regex alternation of
 * ~200 literals was several times slower in V8. Matchers run only where their anchor occurs.
 * `chunkSize` (positions per byte copy of the text) exists so tests can cross chunk boundaries.
 */
export function createSecretScanner(
  matchers: readonly Matcher[],
  options: { chunkSize?: number } = {},
): SecretScanner {
  const chunkSize = options.chunkSize ?? SCAN_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new AegisError(ERROR_CODES.INTERNAL, `scan chunk size must be a positive integer: ${chunkSize}`);
  }
  const entries = new Map<string, AnchorEntry>();
  for (const matcher of matchers) {
    for (const raw of matcher.anchors) {
      if (raw.length < 2 || raw.charCodeAt(0) > 127 || raw.charCodeAt(1) > 127) {
        throw new AegisError(
          ERROR_CODES.INTERNAL,
          `secret anchor must start with two ASCII characters: ${raw}`,
        );
      }
      const anchor = matcher.caseInsensitive ? raw.toLowerCase() : raw;
      const key = `${matcher.caseInsensitive ? 'i' : 's'}:${anchor}`;
      const entry = entries.get(key) ?? { anchor, caseInsensitive: matcher.caseInsensitive, matchers: [] };
      if (!entry.matchers.includes(matcher)) entry.matchers.push(matcher);
      entries.set(key, entry);
    }
  }
  const table: (AnchorEntry[] | undefined)[] = new Array(128 * 128);
  // One bit per (first, second, third) ASCII triple that may open an anchor (a third code above 127 is
  // clamped to 127; two-character anchors, and anchors whose third character is not ASCII, allow any
  // third code). One lookup per position replaces a two-character slot test followed by a third-character
  // test, and cuts the candidates on English text several times over. 2^21 bits: 256 KiB.
  const triples = new Uint32Array(1 << 16);
  const allowAll = (slot: number): void => {
    triples.fill(0xffffffff, slot << 2, (slot << 2) + 4);
  };
  const variants = (entry: AnchorEntry, offset: number): number[] => {
    const code = entry.anchor.charCodeAt(offset);
    return entry.caseInsensitive ? caseVariants(code) : [code];
  };
  for (const entry of entries.values()) {
    for (const a of variants(entry, 0)) {
      for (const b of variants(entry, 1)) {
        const slot = (a << 7) | b;
        const list = table[slot] ?? [];
        list.push(entry);
        table[slot] = list;
        const thirds = entry.anchor.length > 2 ? variants(entry, 2) : [];
        // A third code of 127 or more also opens the slot to every third character, so that the scan's
        // branch-free filter (codes masked to 7 bits) passes every position the exact test passes.
        if (entry.anchor.length === 2 || thirds.some((code) => code >= 127)) allowAll(slot);
        for (const code of thirds) {
          if (code < 127) {
            const key = (slot << 7) | code;
            triples[key >> 5]! |= 1 << (key & 31);
          }
        }
      }
    }
  }
  // A second filter on the first four characters, for the positions the triple filter lets through
  // (common English triples such as `con`, `dat` or `ser` open anchors like `confluence_token`): one
  // 128-bit block per hash of the triple, one bit in it per fourth (masked) code. A character an anchor
  // does not fix, past its end (two- and three-character anchors) or not ASCII (its masked code can be
  // anything), allows every code there: the whole block. A hash collision only lets a position through.
  const quads = new Uint32Array(1 << (QUAD_TRIPLE_BITS + 2));
  const anyCode = Array.from({ length: 128 }, (_, code) => code);
  const maskedCodes = (entry: AnchorEntry, offset: number): number[] | undefined => {
    if (offset >= entry.anchor.length || entry.anchor.charCodeAt(offset) >= 127) return undefined;
    return variants(entry, offset);
  };
  for (const entry of entries.values()) {
    for (const a of maskedCodes(entry, 0)!) {
      for (const b of maskedCodes(entry, 1)!) {
        for (const c of maskedCodes(entry, 2) ?? anyCode) {
          const block = tripleHash((a << 14) | (b << 7) | c) << 7;
          const fourths = maskedCodes(entry, 3);
          if (fourths === undefined) quads.fill(0xffffffff, block >> 5, (block >> 5) + 4);
          else for (const d of fourths) quads[(block | d) >> 5]! |= 1 << (d & 31);
        }
      }
    }
  }
  // The scan reads the text through a byte copy: a typed-array load is several times cheaper in V8 than
  // `charCodeAt` (which dispatches on the string's representation each time). Latin-1 encoding keeps one
  // byte per UTF-16 code unit, the code's low 8 bits, so every position keeps its offset and its code
  // masked to 7 bits: the filter sees exactly the masked key it would compute from `charCodeAt`. The copy
  // is made in chunks so the buffer stays small whatever the text's length.
  const chunk = new Uint8Array(chunkSize + 8);
  const chunkBuffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

  /** Runs the matchers of every anchor that occurs at `index`, a position the masked filter let through. */
  const visit = (text: string, index: number, state: ScanState): void => {
    const current = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    // Both codes are below 2^16, so their OR exceeds 127 exactly when one of them does.
    if ((current | next) > 127) return;
    const third = index + 2 < text.length ? Math.min(text.charCodeAt(index + 2), 127) : 0;
    const key = (current << 14) | (next << 7) | third;
    if ((triples[key >> 5]! & (1 << (key & 31))) === 0) return;
    const list = table[key >> 7]!;
    for (const entry of list) {
      if (!anchorAt(text, index, entry)) continue;
      for (const matcher of entry.matchers) {
        if (index < (state.matchedUntil?.get(matcher) ?? 0)) continue;
        state.scratch ??= new Map();
        const match = matcher.find(text, index, entry.anchor, state.scratch);
        if (!match) continue;
        state.found.push(match);
        state.matchedUntil ??= new Map();
        state.matchedUntil.set(matcher, match.end);
      }
    }
  };

  return {
    scan(text) {
      const state: ScanState = { found: [], scratch: undefined, matchedUntil: undefined };
      // Locals, not closure variables: the loop then keeps them in registers.
      const bits = triples;
      const quadBits = quads;
      const bytes = chunk;
      const length = text.length;
      // Anchors have at least two characters: positions 0 .. length - 2 can open one.
      for (let base = 0; base < length - 1; base += chunkSize) {
        const stop = Math.min(length - 1, base + chunkSize) - base;
        // The fourth character of the chunk's last position is 3 past it; past the text's end it reads
        // as 0, as the exact test in `visit` does for the third.
        const copied = Math.min(length - base, stop + 3);
        chunkBuffer.write(text.slice(base, base + copied), 0, copied, 'latin1');
        bytes.fill(0, copied, copied + 3);
        // The masked codes of positions offset .. offset + 3, seven bits each.
        let key = ((bytes[0]! & 127) << 14) | ((bytes[1]! & 127) << 7) | (bytes[2]! & 127);
        for (let offset = 0; offset < stop; offset++) {
          // Masking each code to 7 bits needs no branch; a non-ASCII code can then only add candidates,
          // which the exact test in `visit` rejects (mispredicted branches were most of the loop's cost).
          key = ((key << 7) | (bytes[offset + 3]! & 127)) & 0xfffffff;
          const triple = key >>> 7;
          if (((bits[triple >> 5]! >>> (triple & 31)) & 1) === 0) continue;
          const quad = (tripleHash(triple) << 7) | (key & 127);
          if (((quadBits[quad >> 5]! >>> (quad & 31)) & 1) === 0) continue;
          visit(text, base + offset, state);
        }
      }
      return state.found;
    },
  };
}

/**
 * Keeps one match per region: where spans overlap, the higher tier wins, then the longer span, then the
 * more specific rule, then the higher score. Works cluster by cluster so the cost stays linear in the
 * number of matches.
 */
export function resolveOverlaps(matches: readonly SecretMatch[]): SecretMatch[] {
  const kept: SecretMatch[] = [];
  // Most texts hold no secret: nothing to sort or allocate.
  if (matches.length === 0) return kept;
  // Matches found in text order, none empty and none overlapping the one before (the usual case) have
  // strictly increasing starts, so sorting keeps their order, and each is a cluster of its own that keeps
  // it: the result is the list as it is.
  if (inOrderApart(matches)) {
    for (const match of matches) kept.push(match);
    return kept;
  }
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  let cluster: SecretMatch[] = [];
  let clusterEnd = -1;
  for (const match of sorted) {
    if (match.start >= clusterEnd) {
      resolveCluster(cluster, kept);
      cluster = [];
      clusterEnd = match.end;
    } else {
      clusterEnd = Math.max(clusterEnd, match.end);
    }
    cluster.push(match);
  }
  resolveCluster(cluster, kept);
  return kept;
}

/** True when every match is non-empty and starts at or after the end of the one before. */
function inOrderApart(matches: readonly SecretMatch[]): boolean {
  let previousEnd = 0;
  for (const match of matches) {
    if (match.end <= match.start || match.start < previousEnd) return false;
    previousEnd = match.end;
  }
  return true;
}

/**
 * Provider-level matches (context rules 4, prefix rules and keys 3) form one tier where the longer span
 * wins, so a keyword rule cannot carve a piece out of a longer token; on equal spans the more specific
 * rule wins. Lower tiers (JWT, URLs, generic assignments) only fill gaps.
 */
function tier(match: SecretMatch): number {
  return Math.min(match.priority, 3);
}

/** Appends the matches of one cluster of overlapping spans that win, in text order. */
function resolveCluster(cluster: readonly SecretMatch[], kept: SecretMatch[]): void {
  if (cluster.length === 0) return;
  const ranked = [...cluster].sort(
    (a, b) =>
      tier(b) - tier(a) ||
      b.end - b.start - (a.end - a.start) ||
      b.priority - a.priority ||
      b.score - a.score,
  );
  const chosen: SecretMatch[] = [];
  for (const candidate of ranked) {
    if (chosen.every((other) => candidate.end <= other.start || candidate.start >= other.end))
      chosen.push(candidate);
  }
  // A loop, not a spread: a long cluster must not be limited by a call's argument slots.
  for (const match of chosen.sort((a, b) => a.start - b.start)) kept.push(match);
}
