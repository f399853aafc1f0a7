import type { Matcher, SecretMatch } from './matcher.js';

/** Upper bound on a key block's length: a 16384-bit RSA key in PEM is about 12.6 KB. */
const MAX_BLOCK = 16_384;

// RFC 7468 labels of private keys, with the finding type each gets.
const PEM_TYPES: Readonly<Record<string, { type: string; id: string }>> = {
  'RSA PRIVATE KEY': { type: 'RSA_PRIVATE_KEY', id: 'secrets.private-key-rsa' },
  'EC PRIVATE KEY': { type: 'EC_PRIVATE_KEY', id: 'secrets.private-key-ec' },
  'DSA PRIVATE KEY': { type: 'DSA_PRIVATE_KEY', id: 'secrets.private-key-dsa' },
  'PRIVATE KEY': { type: 'PKCS8_PRIVATE_KEY', id: 'secrets.private-key-pkcs8' },
  'ENCRYPTED PRIVATE KEY': { type: 'ENCRYPTED_PRIVATE_KEY', id: 'secrets.private-key-encrypted' },
  'OPENSSH PRIVATE KEY': { type: 'OPENSSH_PRIVATE_KEY', id: 'secrets.private-key-openssh' },
  'PGP PRIVATE KEY BLOCK': { type: 'PGP_PRIVATE_KEY', id: 'secrets.private-key-pgp' },
  'SSH2 ENCRYPTED PRIVATE KEY': { type: 'SSH2_PRIVATE_KEY', id: 'secrets.private-key-ssh2' },
};

export const PEM_HEADER_PATTERN = /-----BEGIN ([A-Z0-9 ]{3,40})-----/y;

/** Counts base64 characters in a key body, to tell a real key from a `...` placeholder. */
function base64Length(body: string): number {
  let count = 0;
  for (let index = 0; index < body.length; index++) {
    const code = body.charCodeAt(index);
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57)) count++;
    else if (code === 43 || code === 47) count++;
  }
  return count;
}

/** PEM, OpenSSH and PGP private key blocks (RFC 7468, RFC 4880 §6.2); the span covers the whole block. */
export const pemPrivateKeyMatcher: Matcher = {
  anchors: ['-----BEGIN '],
  caseInsensitive: false,
  find(text, anchorStart, _anchor, scratch): SecretMatch | undefined {
    PEM_HEADER_PATTERN.lastIndex = anchorStart;
    const header = PEM_HEADER_PATTERN.exec(text);
    if (!header) return undefined;
    const label = header[1] ?? '';
    const kind = PEM_TYPES[label];
    if (!kind) return undefined;
    const bodyStart = anchorStart + header[0].length;
    const footer = `-----END ${label}-----`;
    const footerAt = nextFooter({ text, footer, from: bodyStart, scratch, owner: pemPrivateKeyMatcher });
    let end: number;
    if (footerAt !== -1 && footerAt - anchorStart <= MAX_BLOCK) end = footerAt + footer.length;
    else end = truncatedBodyEnd(text, bodyStart);
    const bodyLength = base64Length(text.slice(bodyStart, Math.min(end, bodyStart + MAX_BLOCK)));
    // A block with almost no key material is documentation (`-----BEGIN RSA PRIVATE KEY-----\n...`).
    const example = bodyLength < 64;
    return {
      ruleId: kind.id,
      type: kind.type,
      severity: example ? 'info' : 'critical',
      score: example ? 0.2 : 0.99,
      start: anchorStart,
      end,
      example,
      priority: 3,
    };
  },
};

/**
 * Position of the next `footer` at or after `from`, remembered per scan: a text full of headers and no
 * footer would otherwise be searched to its end once per header.
 */
function nextFooter(options: {
  text: string;
  footer: string;
  from: number;
  scratch: Map<Matcher, unknown>;
  owner: Matcher;
}): number {
  const { text, footer, from, scratch, owner } = options;
  let cache = scratch.get(owner) as Map<string, { from: number; at: number }> | undefined;
  if (!cache) {
    cache = new Map();
    scratch.set(owner, cache);
  }
  const known = cache.get(footer);
  if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
  const at = text.indexOf(footer, from);
  cache.set(footer, { from, at });
  return at;
}

/** Without a footer, the key runs over the following base64 lines (bounded). */
function truncatedBodyEnd(text: string, bodyStart: number): number {
  const limit = Math.min(text.length, bodyStart + MAX_BLOCK);
  let index = bodyStart;
  let lastKeyCharacter = bodyStart;
  while (index < limit) {
    const code = text.charCodeAt(index);
    const isKeyCharacter =
      (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) ||
      (code >= 48 && code <= 57) ||
      code === 43 ||
      code === 47 ||
      code === 61;
    if (isKeyCharacter) lastKeyCharacter = index + 1;
    // Line breaks, spaces and the `\n` escapes of JSON-embedded keys continue the body; anything else ends it.
    else if (code !== 10 && code !== 13 && code !== 32 && code !== 92) break;
    index++;
  }
  return lastKeyCharacter;
}

/** PuTTY private key files (`PuTTY-User-Key-File-2/3:` … `Private-MAC:`). */
export const puttyPrivateKeyMatcher: Matcher = {
  anchors: ['PuTTY-User-Key-File-'],
  caseInsensitive: false,
  find(text, anchorStart, _anchor, scratch): SecretMatch | undefined {
    const limit = Math.min(text.length, anchorStart + MAX_BLOCK);
    const owner = puttyPrivateKeyMatcher;
    const privateLines = nextFooter({ text, footer: 'Private-Lines:', from: anchorStart, scratch, owner });
    if (privateLines === -1 || privateLines >= limit) return undefined;
    const mac = nextFooter({ text, footer: 'Private-MAC:', from: privateLines, scratch, owner });
    let end = limit;
    if (mac !== -1 && mac < limit) {
      const lineEnd = text.indexOf('\n', mac);
      end = lineEnd === -1 || lineEnd > limit ? limit : lineEnd;
    }
    return {
      ruleId: 'secrets.private-key-putty',
      type: 'PUTTY_PRIVATE_KEY',
      severity: 'critical',
      score: 0.98,
      start: anchorStart,
      end,
      priority: 3,
    };
  },
};
