import { BlockList, isIP } from "node:net";

/**
 * The addresses of the proxies in front of the app, from TRUST_PROXY: a comma-separated list
 * of addresses and CIDR ranges, and the words `loopback` and `private`. Unset: no proxy is
 * trusted and X-Forwarded-For is ignored. Throws on an entry it cannot read (checked at boot).
 */
export function trustedProxies(value: string | undefined): BlockList | null {
  if (!value?.trim()) return null;
  const list = new BlockList();
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry === "loopback") {
      list.addSubnet("127.0.0.0", 8, "ipv4");
      list.addAddress("::1", "ipv6");
      continue;
    }
    if (entry === "private") {
      for (const [net, prefix] of [
        ["10.0.0.0", 8],
        ["172.16.0.0", 12],
        ["192.168.0.0", 16],
        ["169.254.0.0", 16],
      ] as const)
        list.addSubnet(net, prefix, "ipv4");
      list.addSubnet("fc00::", 7, "ipv6");
      list.addSubnet("fe80::", 10, "ipv6");
      continue;
    }
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? null : Number(prefix);
    if (!family || (bits !== null && (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)))) {
      throw new Error(`TRUST_PROXY: cannot read "${entry}" (addresses, CIDR ranges, loopback, private)`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/** An IPv4 address as a dual-stack socket reports it (::ffff:1.2.3.4) is that IPv4 address. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Whether an address (as a socket or a header gives it) is one of the trusted proxies. */
export function isTrustedProxy(list: BlockList, address: string): boolean {
  address = plain(address);
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address, the one used for rate limits: the socket's peer, unless that peer is
 * a trusted proxy; then X-Forwarded-For is read from the right (each proxy appends the address
 * it saw) and the first hop that is not a trusted proxy is the client. Entries left of it were
 * written by the client and are never believed. A hop that is not an address ends the walk at
 * the last trusted one.
 */
export function clientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: BlockList | null,
): string {
  let current = plain(socketAddress ?? "");
  if (!current) return "unknown";
  if (!proxies || !isTrustedProxy(proxies, current)) return current;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  const hops = header
    .split(",")
    .map((h) => plain(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!isIP(hop)) return current;
    if (!isTrustedProxy(proxies, hop)) return hop;
    current = hop;
  }
  return current;
}
