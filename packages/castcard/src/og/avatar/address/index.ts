import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const cidrs = (list: string[]): [string, Cidr][] => list.map((c) => [c, ipaddr.parseCIDR(c)]);

/** Every IPv4 range that is not globally reachable (IANA special-purpose registry). */
const BLOCKED_V4 = cidrs([
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "255.255.255.255/32",
]);

/** Non-global IPv6 ranges inside 2000::/3 (everything outside it is refused anyway). */
const BLOCKED_V6 = cidrs([
  "2001:2::/48", // benchmarking
  "2001:10::/28", // ORCHID
  "2001:20::/28", // ORCHIDv2
  "2001:db8::/32", // documentation
  "3fff::/20", // documentation (RFC 9637)
]);

// Spelled out rather than taken from ipaddr.js: it calls the IPv4-compatible form plain unicast.
const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");
const V4_MAPPED = ipaddr.parseCIDR("::ffff:0:0/96");
const V4_COMPATIBLE = ipaddr.parseCIDR("::/96");
const NAT64 = ipaddr.parseCIDR("64:ff9b::/96");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const TEREDO = ipaddr.parseCIDR("2001::/32");

const v4 = (bytes: number[]) => new ipaddr.IPv4(bytes);

/**
 * Why an address must not be fetched, or null when it is globally reachable. Addresses that carry
 * an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by the IPv4 inside.
 */
export function blockedRange(ip: string): string | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (!isIP(bare) || !ipaddr.isValid(bare)) return "not-an-address";
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv4") return blockedV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const b = v6.toByteArray();
  if (v6.match(V4_MAPPED) || v6.match(V4_COMPATIBLE) || v6.match(NAT64)) {
    return prefixed("embedded", blockedV4(v4(b.slice(12, 16))));
  }
  if (v6.match(SIX_TO_FOUR)) return prefixed("6to4", blockedV4(v4(b.slice(2, 6))));
  if (v6.match(TEREDO)) {
    const server = blockedV4(v4(b.slice(4, 8)));
    const client = blockedV4(v4(b.slice(12, 16).map((x) => x ^ 0xff)));
    return prefixed("teredo", server ?? client);
  }
  // Covers ::, ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64, 64:ff9b:1::/48 (local-use NAT64) and
  // every unassigned block.
  if (!v6.match(GLOBAL_UNICAST)) return "ipv6-not-global-unicast";
  for (const [name, cidr] of BLOCKED_V6) if (v6.match(cidr)) return name;
  return null;
}

function blockedV4(address: ipaddr.IPv4): string | null {
  for (const [name, cidr] of BLOCKED_V4) if (address.match(cidr)) return name;
  return null;
}

const prefixed = (kind: string, inner: string | null) => (inner ? `${kind}:${inner}` : null);

export const isPublicAddress = (ip: string): boolean => blockedRange(ip) === null;

/** Names that only ever mean something local: refused before any lookup. */
export function isLocalName(hostname: string): boolean {
  const name = normaliseHost(hostname);
  return (
    name === "localhost" ||
    [".localhost", ".local", ".internal", ".home.arpa"].some((suffix) => name.endsWith(suffix)) ||
    name === "home.arpa" ||
    !name.includes(".") // single-label names go to search domains: never public
  );
}

/** Lower case, without brackets or the trailing dot of a fully-qualified name. */
export function normaliseHost(hostname: string): string {
  const host = hostname.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) return host.slice(1, -1);
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

/** Whether a host is on the AVATAR_HOSTS allowlist: exact names, or `*.suffix` for any subdomain. */
export function hostAllowed(hostname: string, hosts: readonly string[]): boolean {
  const host = normaliseHost(hostname);
  return hosts.some((entry) => {
    const rule = normaliseHost(entry.trim());
    return rule.startsWith("*.") ? host.endsWith(rule.slice(1)) && host.length > rule.length - 1 : host === rule;
  });
}
