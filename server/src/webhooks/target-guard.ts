import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The SSRF guard: addresses a webhook must not reach when private targets are blocked (always
 * in production) — loopback, private, link-local, CGNAT, multicast, reserved and documentation
 * ranges, IPv6 unique-local, link-local, and IPv4-mapped/NAT64 forms that could smuggle any of them.
 */
// Two lists: a BlockList checks an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), so one list
// holding ::ffff:0:0/96 would refuse every IPv4 address.
const FORBIDDEN_V4 = new BlockList();
const FORBIDDEN_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN_V4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN_V6.addSubnet(net, prefix, 'ipv6');
}

export interface TargetPolicy {
  blockPrivate: boolean;
  /** Host names or IP addresses exempt (lower case). */
  allowedHosts: readonly string[];
}

export class ForbiddenTargetError extends Error {}

/** Whether a literal IP address lies in a forbidden range. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: never connect to it blindly
  return family === 4 ? FORBIDDEN_V4.check(address, 'ipv4') : FORBIDDEN_V6.check(address, 'ipv6');
}

/** The host of a URL as DNS and `isIP` see it (IPv6 literals without brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Why this host may not be called (null: it may): checked at subscription time and again for every send. */
export async function checkTarget(policy: TargetPolicy, url: URL): Promise<string | null> {
  if (!policy.blockPrivate) return null;
  const host = hostOf(url);
  if (policy.allowedHosts.includes(host)) return null;
  const addresses = isIP(host) ? [host] : await resolveAll(host).catch(() => []);
  const bad = addresses.find((a) => isForbiddenAddress(a) && !policy.allowedHosts.includes(a));
  return bad ? `${host} resolves to ${bad}, an internal address` : null;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((ok, fail) => dnsLookup(host, { all: true }, (err, list) => (err ? fail(err) : ok(list.map((l) => l.address)))));
}

/**
 * A `lookup` for http.request that checks the addresses the connection will actually use, so a
 * name that resolved to a public address at subscription time and to an internal one now (DNS
 * rebinding) is refused at the moment of connecting.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction | undefined {
  if (!policy.blockPrivate) return undefined;
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err, '', 0);
      const exempt = policy.allowedHosts.includes(hostname.toLowerCase());
      const bad = exempt ? undefined : list.find((l) => isForbiddenAddress(l.address) && !policy.allowedHosts.includes(l.address));
      if (bad) return callback(new ForbiddenTargetError(`${hostname} resolves to ${bad.address}, an internal address`), '', 0);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
