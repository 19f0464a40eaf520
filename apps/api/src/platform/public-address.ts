import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { Agent } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a URL given to us by a client (a push subscription's endpoint) may never make the server call: this
 * machine, the private networks it sits in, link-local (the cloud metadata service, 169.254.169.254 and
 * fd00:ec2::254), and the ranges that are not public unicast. What the server fetches on a client's word goes to
 * the public internet only (server-side request forgery).
 */
const notPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  notPublic.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (fd00:ec2::254, a metadata service)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  notPublic.addSubnet(network, prefix, 'ipv6');

/** An IPv4 address carried in an IPv6 one (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d), judged as itself. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex?.[1] || !hex[2]) return null;
  const [high, low] = [Number.parseInt(hex[1], 16), Number.parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address is public unicast: not loopback, private, link-local, metadata, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !notPublic.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4) return isPublicAddress(v4);
  return !notPublic.check(address, 'ipv6');
}

/** Names that only ever mean this machine or a private network, whatever DNS says. */
const privateName = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)\.?$/i;

/**
 * Why an https URL may not be called on a client's word, or null when it may: a host that is an IP literal not
 * public, or a name that is private by definition. Names are resolved when called (`publicOnlyAgent`).
 */
export function refusedUrl(url: string): string | null {
  if (!URL.canParse(url)) return 'not a URL';
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return 'not an https address';
  if (parsed.username || parsed.password) return 'an address with credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPublicAddress(host) ? null : 'not a public address';
  if (!host.includes('.') || privateName.test(host)) return 'not a public host';
  return null;
}

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * DNS resolution that refuses a name resolving to any address not public (a public name pointed at 127.0.0.1 or
 * at the metadata service). Used by the socket itself, so the address checked is the address connected to: no
 * second resolution for a rebinding DNS server to answer differently.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback) {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) {
      return callback(
        new PrivateAddressError(`${hostname} resolves to ${refused.address}, not a public address`),
        [],
      );
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first)
      return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * An https agent that connects to public addresses only: a literal host is checked here (a socket given an IP does
 * not look it up), a name through `publicOnlyLookup`.
 */
export function publicOnlyAgent(): Agent {
  const agent = new Agent({ keepAlive: true, lookup: publicOnlyLookup as never });
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const host = String((options as { host?: string }).host ?? '').replace(/^\[|\]$/g, '');
    if (isIP(host) && !isPublicAddress(host))
      throw new PrivateAddressError(`${host} is not a public address`);
    return createConnection(options, callback);
  };
  return agent;
}

/** Whether a failed call was refused here for its address (anywhere in the error's chain of causes). */
export function isPrivateAddressError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof PrivateAddressError || (current as { code?: unknown }).code === 'EPRIVATEADDRESS')
      return true;
    current = current.cause;
  }
  return false;
}
