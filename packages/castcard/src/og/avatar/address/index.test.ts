import { describe, expect, it } from "vitest";
import { blockedRange, hostAllowed, isLocalName, isPublicAddress } from "./index";

describe("blockedRange", () => {
  it.each([
    "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.255.254", "169.254.169.254",
    "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.10", "192.168.1.1", "198.18.0.1", "198.19.255.1",
    "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0", "fec0::1", "ff02::1", "2001:db8::1", "100::1",
    // IPv6 forms carrying a private IPv4 address
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::127.0.0.1", "::a9fe:a9fe", "64:ff9b::10.0.0.1",
    "64:ff9b::7f00:1", "64:ff9b:1::1", "64:ff9b:1::808:808", "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::",
    // Teredo: client 127.0.0.1 (stored inverted), then a private Teredo server
    "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:a00:1:8000:63bf:f7f7:f7f7",
    "not an ip", "127.1", "0x7f000001", "",
  ])("refuses %s", (ip) => {
    expect(blockedRange(ip)).not.toBeNull();
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each([
    "8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1", "192.169.0.1",
    "2606:4700:4700::1111", "2a00:1450:4001:81a::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
  ])("allows the public address %s", (ip) => {
    expect(blockedRange(ip)).toBeNull();
  });

  it("names the range it refused, for the log", () => {
    expect(blockedRange("169.254.169.254")).toBe("169.254.0.0/16");
    expect(blockedRange("::ffff:10.1.2.3")).toBe("embedded:10.0.0.0/8");
    expect(blockedRange("2002:c0a8:101::")).toBe("6to4:192.168.0.0/16");
  });
});

describe("host names", () => {
  it.each(["localhost", "LOCALHOST.", "a.localhost", "printer.local", "metadata.google.internal", "nas.home.arpa", "intranet"])(
    "treats %s as local",
    (name) => expect(isLocalName(name)).toBe(true),
  );
  it.each(["example.com", "i.imgur.com", "localhost.example.com", "local.example"])("treats %s as public", (name) =>
    expect(isLocalName(name)).toBe(false),
  );

  it("matches AVATAR_HOSTS exactly or by *.suffix, never by a bare suffix", () => {
    const hosts = ["i.imgur.com", "*.example.org"];
    expect(hostAllowed("i.imgur.com", hosts)).toBe(true);
    expect(hostAllowed("I.IMGUR.COM.", hosts)).toBe(true);
    expect(hostAllowed("x.i.imgur.com", hosts)).toBe(false);
    expect(hostAllowed("cdn.example.org", hosts)).toBe(true);
    expect(hostAllowed("a.b.example.org", hosts)).toBe(true);
    expect(hostAllowed("example.org", hosts)).toBe(false);
    expect(hostAllowed("evilexample.org", hosts)).toBe(false);
  });
});
