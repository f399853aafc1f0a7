import type { PiiCandidate } from './candidate.js';

// When candidates overlap, the checksummed types are the most specific: a Luhn-valid card is not also
// a phone number, an IBAN is not also a driver's licence. Higher rank wins ties in score.
const SPECIFICITY: Readonly<Record<string, number>> = {
  URL_WITH_CREDENTIALS: 9,
  CREDIT_CARD: 8,
  IBAN_CODE: 8,
  CRYPTO: 8,
  IT_FISCAL_CODE: 8,
  FR_NIR: 8,
  ES_DNI: 7,
  ES_NIE: 7,
  IN_AADHAAR: 7,
  DE_TAX_ID: 6,
  US_SSN: 6,
  UK_NINO: 6,
  EMAIL_ADDRESS: 6,
  DATE_OF_BIRTH: 5,
  US_PASSPORT: 5,
  US_DRIVER_LICENSE: 4,
  MAC_ADDRESS: 4,
  IP_ADDRESS: 3,
  STREET_ADDRESS: 3,
  PHONE_NUMBER: 2,
  PERSON: 1,
};

/** Up to this many candidates, pairwise comparison is cheaper than a bitmap over the text. */
const SMALL = 32;

function rank(candidate: PiiCandidate): number {
  return SPECIFICITY[candidate.type] ?? 0;
}

/**
 * Keeps a set of non-overlapping candidates: best score first, then specificity, then the longer span.
 * Returned in text order. Occupied characters are marked in a bitmap, so the work is the sort plus the
 * total length of the candidates (each is bounded), never quadratic in their number.
 */
export function resolveOverlaps(candidates: readonly PiiCandidate[], textLength: number): PiiCandidate[] {
  if (candidates.length <= 1) return candidates.filter((candidate) => candidate.end > candidate.start);
  const ordered = [...candidates].sort(
    (a, b) =>
      b.score - a.score || rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: PiiCandidate[] = [];
  if (ordered.length <= SMALL) {
    // Few candidates (the common case): compare spans directly instead of allocating a bitmap.
    for (const candidate of ordered) {
      if (candidate.end <= candidate.start) continue;
      if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
      kept.push(candidate);
    }
    return kept.sort((a, b) => a.start - b.start);
  }
  const occupied = new Uint8Array(textLength);
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue;
    let free = true;
    for (let index = candidate.start; index < candidate.end; index += 1) {
      if (occupied[index] === 1) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    occupied.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
