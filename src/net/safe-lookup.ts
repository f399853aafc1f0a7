import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress } from './address-class.js';

/** Which address classes an outgoing connection may reach besides public and loopback ones. */
export interface AddressPolicy {
  /** Permits private-network (RFC 1918, ULA) addresses. */
  allowPrivateNetwork?: boolean;
}

/** Resolves a host name to every address it has (injectable, e.g. for tests). */
export type HostResolver = (hostname: string) => Promise<readonly { address: string }[]>;

/** True when an address may be connected to under the policy: public, loopback, private when allowed. */
export function addressAllowed(address: string, options: AddressPolicy = {}): boolean {
  const kind = classifyAddress(address);
  return (
    kind === 'public' || kind === 'loopback' || (kind === 'private' && options.allowPrivateNetwork === true)
  );
}

/** `dns.lookup` with `all: true`: every address the system resolver gives (hosts file included). */
export function lookupAllAddresses(hostname: string): Promise<readonly LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/**
 * The first address of `hostname` the policy refuses, or `undefined` when every one is allowed. An IP
 * literal is classified as written; a name is resolved (all addresses: a name with one bad address among
 * good ones is refused, since the connection may use any of them). Resolution errors are thrown.
 */
export async function forbiddenAddressOf(
  hostname: string,
  options: AddressPolicy & { resolve?: HostResolver } = {},
): Promise<string | undefined> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const addresses =
    isIP(host) !== 0 ? [{ address: host }] : await (options.resolve ?? lookupAllAddresses)(host);
  if (addresses.length === 0) throw new Error(`no address for ${host}`);
  return addresses.find((entry) => !addressAllowed(entry.address, options))?.address;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` replacement for outgoing sockets that refuses resolved addresses outside the allowed
 * classes, so a host name cannot be pointed at a metadata or private address later (DNS rebinding).
 */
export function createSafeLookup(options: AddressPolicy) {
  return function safeLookup(hostname: string, lookupOptions: object, callback: LookupCallback): void {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((entry) => !addressAllowed(entry.address, options));
      if (bad) {
        const refusal = new Error(`${hostname} resolves to a forbidden address`) as NodeJS.ErrnoException;
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
