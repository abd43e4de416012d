import { describe, expect, it } from "vitest";
import { clientIp, trustedProxies } from "./client-ip.server";

describe("clientIp (finding: the address limits count comes from one place, and X-Forwarded-For only from a trusted proxy)", () => {
  const loopback = trustedProxies("loopback");

  it("is the socket's address without TRUST_PROXY, whatever the header says", () => {
    expect(clientIp("203.0.113.9", "198.51.100.1", null)).toBe("203.0.113.9");
    expect(clientIp("::ffff:203.0.113.9", undefined, null)).toBe("203.0.113.9");
    expect(clientIp(undefined, undefined, null)).toBe("unknown");
    expect(trustedProxies("")).toBeNull();
  });

  it("ignores the header when the socket is not a trusted proxy", () => {
    expect(clientIp("203.0.113.9", "198.51.100.1", loopback)).toBe("203.0.113.9");
  });

  it("takes the right-most hop that is not a trusted proxy; what the client wrote to its left is never believed", () => {
    expect(clientIp("127.0.0.1", "198.51.100.1", loopback)).toBe("198.51.100.1");
    expect(clientIp("127.0.0.1", "1.1.1.1, 198.51.100.1", loopback)).toBe("198.51.100.1");
    expect(clientIp("::1", ["6.6.6.6", "198.51.100.1, 127.0.0.1"], loopback)).toBe("198.51.100.1");
    const chain = trustedProxies("10.0.0.0/8, 192.0.2.10");
    expect(clientIp("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.0.2.10, 10.9.9.9", chain)).toBe("198.51.100.7");
    expect(clientIp("10.1.2.3", "2001:db8::5", chain)).toBe("2001:db8::5");
  });

  it("stops at the last trusted hop when the header is garbage or only proxies", () => {
    expect(clientIp("127.0.0.1", "not-an-ip", loopback)).toBe("127.0.0.1");
    expect(clientIp("127.0.0.1", "198.51.100.1, nonsense", loopback)).toBe("127.0.0.1");
    expect(clientIp("127.0.0.1", "127.0.0.2", loopback)).toBe("127.0.0.2");
    expect(clientIp("127.0.0.1", "", loopback)).toBe("127.0.0.1");
  });

  it("refuses a TRUST_PROXY it cannot read", () => {
    expect(() => trustedProxies("true")).toThrow(/TRUST_PROXY/);
    expect(() => trustedProxies("10.0.0.0/33")).toThrow(/TRUST_PROXY/);
    expect(trustedProxies("private, 2001:db8::/32")?.check("172.20.0.1", "ipv4")).toBe(true);
  });
});
