import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress, METADATA_HOSTS } from '../net/address-class.js';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

export { type AddressClass, classifyAddress } from '../net/address-class.js';

/** Options of `validateUpstreamUrl`. */
export interface UpstreamUrlOptions {
  allowPrivateNetwork?: boolean;
}

function refuse(reason: string): never {
  throw new AegisError(ERROR_CODES.UPSTREAM_URL_FORBIDDEN, `upstream URL refused: ${reason}`);
}

/** True when an address may be used as an upstream under the given options. */
export function addressAllowed(address: string, options: UpstreamUrlOptions = {}): boolean {
  const kind = classifyAddress(address);
  return (
    kind === 'public' || kind === 'loopback' || (kind === 'private' && options.allowPrivateNetwork === true)
  );
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

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` replacement for upstream sockets that refuses resolved addresses outside the allowed
 * classes, so a host name cannot be pointed at a metadata or private address later (DNS rebinding).
 */
export function createSafeLookup(options: UpstreamUrlOptions) {
  return function safeLookup(hostname: string, lookupOptions: object, callback: LookupCallback): void {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((entry) => !addressAllowed(entry.address, options));
      if (bad) {
        const refusal = new Error(
          `upstream ${hostname} resolves to a forbidden address`,
        ) as NodeJS.ErrnoException;
        refusal.code = 'EAI_FORBIDDEN';
        return callback(refusal, []);
      }
      if ((lookupOptions as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`no address for ${hostname}`) as NodeJS.ErrnoException, []);
      callback(null, first.address, first.family);
    });
  };
}
