import { BlockList, isIP } from 'node:net';

// Classification of IP literals for outgoing connections (gateway upstreams, the LLM judge): loopback,
// private, public, or forbidden (link-local and cloud metadata, reserved, documentation, multicast, and
// IPv6 forms that stand for such an IPv4 address). Written here rather than taken from a package: the
// list is small, security-critical and must follow node's own parser (`isIP`, `BlockList`).

/** How an address is classified for outgoing connections. */
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
// Documentation-only ranges (RFC 5737, RFC 3849).
forbidden.addSubnet('192.0.2.0', 24, 'ipv4');
forbidden.addSubnet('198.51.100.0', 24, 'ipv4');
forbidden.addSubnet('203.0.113.0', 24, 'ipv4');
forbidden.addSubnet('2001:db8::', 32, 'ipv6');
// NAT64 local-use prefix (RFC 8215): where its IPv4 address sits depends on the prefix length chosen
// by the network, so it cannot be classified.
forbidden.addSubnet('64:ff9b:1::', 48, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('fc00::', 7, 'ipv6');

/** Host names of cloud metadata services (besides their link-local addresses). */
export const METADATA_HOSTS: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.azure.internal',
  'instance-data',
]);

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part included). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const first = head === '' ? [] : head.split(':');
  const last = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - first.length - last.length).fill('0');
  return [...first, ...zeros, ...last].map((group) => Number.parseInt(group, 16));
}

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one in its last 32 bits: the NAT64
 * well-known prefix 64:ff9b::/96 (RFC 6052: on an IPv6-only network with NAT64, 64:ff9b::a9fe:a9fe
 * reaches 169.254.169.254) and the deprecated IPv4-compatible form ::a.b.c.d (RFC 4291 §2.5.5.1).
 * IPv4-mapped addresses (::ffff:0:0/96) are classified by `BlockList` itself.
 */
function embeddedIpv4(ip: string): string | undefined {
  const groups = ipv6Groups(ip);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b;
  const compatible = groups[0] === 0 && groups[1] === 0 && groups[6] !== 0;
  if (!nat64 && !compatible) return undefined;
  if (groups.slice(2, 6).some((group) => group !== 0)) return undefined;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** Classifies an IP literal (v4, v6, IPv4-mapped, NAT64 or IPv4-compatible v6). */
export function classifyAddress(address: string): AddressClass {
  let ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  const family = isIP(ip);
  if (family === 0) return 'forbidden';
  if (family === 6) {
    const inner = embeddedIpv4(ip);
    if (inner !== undefined) return classifyAddress(inner);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return 'loopback';
  if (forbidden.check(ip, type)) return 'forbidden';
  if (privateRanges.check(ip, type)) return 'private';
  return 'public';
}
