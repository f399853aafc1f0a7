import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AegisError, ERROR_CODES } from '../spec/errors.js';

/** How an address is classified for upstream use. */
export type AddressClass = 'loopback' | 'private' | 'forbidden' | 'public';

// Never reachable as an upstream: link-local (incl. cloud metadata 169.254.169.254, fd00:ec2::254),
// "this network", multicast, broadcast, reserved, documentation-only and carrier-grade NAT ranges.
const forbidden = new BlockList();
forbidden.addSubnet('0.0.0.0', 8, 'ipv4');
forbidden.addSubnet('169.254.0.0', 16, 'ipv4');
forbidden.addSubnet('100.64.0.0', 10, 'ipv4');
forbidden.addSubnet('192.0.0.0', 24, 'ipv4');
forbidden.addSubnet('224.0.0.0', 4, 'ipv4');
forbidden.addSubnet('240.0.0.0', 4, 'ipv4');
forbidden.addSubnet('::', 128, 'ipv6');
forbidden.addSubnet('fe80::', 10, 'ipv6');
forbidden.addSubnet('ff00::', 8, 'ipv6');
forbidden.addSubnet('fd00:ec2::', 32, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('fc00::', 7, 'ipv6');

const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.azure.internal',
  'instance-data',
]);

/** Classifies an IP literal (v4, v6, or IPv4-mapped v6). */
export function classifyAddress(address: string): AddressClass {
  let ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  const family = isIP(ip);
  if (family === 0) return 'forbidden';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return 'loopback';
  if (forbidden.check(ip, type)) return 'forbidden';
  if (privateRanges.check(ip, type)) return 'private';
  return 'public';
}

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
  const host = url.hostname.toLowerCase();
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
