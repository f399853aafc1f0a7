// Code and shell fragments that have no business in model metadata. Alternatives are plain literals
// with bounded gaps, so matching stays linear (checked with recheck in the tests).
const CODE_PATTERNS: readonly RegExp[] = [
  /\bimport\s{1,8}(?:os|sys|subprocess|socket|base64|pickle|ctypes|shutil|requests)\b/,
  /\b(?:os\.system|os\.popen|subprocess\.|__import__|eval\s{0,4}\(|exec\s{0,4}\(|compile\s{0,4}\(|b64decode\s{0,4}\()/,
  /<script\b/i,
  /\b(?:rm\s{1,8}-[a-z]{0,4}[rf]|chmod\s{1,8}[0-7]{3,4}|curl\s{1,8}-?|wget\s{1,8}|nc\s{1,8}-[a-z]{1,4}|powershell\b|\/bin\/(?:ba)?sh\b)/i,
];

/** The first code or shell pattern found in a metadata value, for the finding message. */
export function codeLikeFragment(text: string): string | undefined {
  const sample = text.length > 100_000 ? text.slice(0, 100_000) : text;
  for (const pattern of CODE_PATTERNS) {
    const match = pattern.exec(sample);
    if (match) return match[0];
  }
  return undefined;
}

/** Exposed for the ReDoS test. */
export const METADATA_PATTERNS = CODE_PATTERNS;
