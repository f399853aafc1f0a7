import { isIP } from 'node:net';
import { classifyAddress, METADATA_HOSTS } from '../net/address-class.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

export { type AddressClass, classifyAddress } from '../net/address-class.js';
// The address policy and the connect-time lookup live in `net`, shared with the LLM judge.
export { addressAllowed, createSafeLookup } from '../net/safe-lookup.js';

/** Options of `validateUpstreamUrl`. */
export interface UpstreamUrlOptions {
  allowPrivateNetwork?: boolean;
}

function refuse(reason: string): never {
  throw new AegisError(ERROR_CODES.UPSTREAM_URL_FORBIDDEN, `upstream URL refused: ${reason}`);
}

/**
 * Validates a configured upstream URL against SSRF: http(s) only, no credentials in the URL, no
 * link-local / metadata / reserved addresses, private ranges only when allowed. Loopback is allowed for
 * local providers (Ollama, vLLM). Hostnames are checked again at connect time by `createSafeLookup`.
 */
export function validateUpstreamUrl(raw: string, options: UpstreamUrlOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    refuse(`scheme ${url.protocol} is not http or https`);
  if (url.username !== '' || url.password !== '') refuse('credentials in the URL (use apiKeyEnv)');
  if (url.search !== '' || url.hash !== '') refuse('query or fragment in the base URL');
  // A fully qualified name may end in dots (`metadata.google.internal.`): the same host.
  let host = url.hostname.toLowerCase();
  while (host.endsWith('.')) host = host.slice(0, -1);
  if (METADATA_HOSTS.has(host)) refuse(`host ${host} is a cloud metadata endpoint`);
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(literal) !== 0) {
    const kind = classifyAddress(literal);
    if (kind === 'forbidden') refuse(`address ${literal} is link-local, metadata or reserved`);
    if (kind === 'private' && options.allowPrivateNetwork !== true) {
      refuse(`address ${literal} is private (set allowPrivateNetwork for this upstream)`);
    }
  } else if (!/^[a-z0-9.-]{1,253}$/.test(host)) {
    refuse('host name has invalid characters');
  }
  return url;
}
