// Issue 12 item 7: the SSRF guard refuses every spelling of a private,
// loopback or link-local target — IPv4 in decimal, octal and hex, IPv6 forms
// that carry an IPv4 address (mapped, compatible, SIIT, NAT64, 6to4, Teredo),
// and local names — before connecting.
import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../src/shared/safe-fetch";
import { refusal, restoreAllowPrivateUrlsAfterEach } from "./support/safe-fetch";

restoreAllowPrivateUrlsAfterEach();

describe("isPrivateAddress", () => {
  it.each([
    ["IPv4 loopback", "127.0.0.1"],
    ["IPv4 loopback, elsewhere in 127/8", "127.255.1.2"],
    ["this network", "0.0.0.0"],
    ["private 10/8", "10.0.0.1"],
    ["private 172.16/12", "172.31.255.254"],
    ["private 192.168/16", "192.168.0.1"],
    ["link-local / cloud metadata", "169.254.169.254"],
    ["CGNAT", "100.64.0.1"],
    ["multicast", "224.0.0.251"],
    ["broadcast", "255.255.255.255"],
    ["reserved 240/4", "240.0.0.1"],
    ["documentation", "192.0.2.1"],
    ["benchmarking", "198.18.0.1"],
    ["IPv6 loopback", "::1"],
    ["IPv6 loopback, long form", "0:0:0:0:0:0:0:1"],
    ["IPv6 unspecified", "::"],
    ["IPv6 link-local", "fe80::1"],
    ["IPv6 link-local with a zone", "fe80::1%eth0"],
    ["IPv6 unique-local fc00::/7", "fd12:3456:789a::1"],
    ["IPv6 unique-local fc00::", "fc00::1"],
    ["IPv6 site-local (deprecated)", "fec0::1"],
    ["IPv6 multicast", "ff02::1"],
    ["IPv6 documentation", "2001:db8::1"],
    ["IPv4-mapped, dotted", "::ffff:127.0.0.1"],
    ["IPv4-mapped, hex", "::ffff:7f00:1"],
    ["IPv4-mapped metadata", "::ffff:169.254.169.254"],
    ["IPv4-mapped, long form", "0:0:0:0:0:ffff:7f00:1"],
    ["IPv4-compatible (deprecated), dotted", "::127.0.0.1"],
    ["IPv4-compatible, hex", "::7f00:1"],
    ["IPv4-compatible private", "::10.0.0.1"],
    ["SIIT ::ffff:0:0/96", "::ffff:0:127.0.0.1"],
    ["NAT64 64:ff9b::/96 to loopback", "64:ff9b::127.0.0.1"],
    ["NAT64 to private, hex", "64:ff9b::a00:1"],
    ["local-use NAT64 64:ff9b:1::/48", "64:ff9b:1::a00:1"],
    ["6to4 of loopback", "2002:7f00:1::"],
    ["6to4 of a private address", "2002:c0a8:101::1"],
    ["Teredo", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    ["discard-only", "100::1"],
    ["not an address", "localhost"],
    ["IPv4 in octal (not a literal address)", "0177.0.0.1"],
  ])("refuses %s (%s)", (_what, address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    ["public IPv4", "93.184.216.34"],
    ["public IPv4 next to CGNAT", "100.128.0.1"],
    ["public IPv4 next to 172.16/12", "172.32.0.1"],
    ["public IPv6", "2606:4700:4700::1111"],
    ["IPv4-mapped public", "::ffff:93.184.216.34"],
    ["NAT64 of a public address (DNS64 networks)", "64:ff9b::5db8:d822"],
  ])("allows %s (%s)", (_what, address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("safeFetch refuses private targets however they are written", () => {
  it.each([
    "http://2130706433/", // decimal 127.0.0.1
    "http://0x7f000001/", // hex
    "http://0x7f.0.0.1/", // hex octet
    "http://0177.0.0.1/", // octal
    "http://017700000001/", // octal, whole
    "http://127.1/", // short form
    "http://0/", // 0.0.0.0
    "http://0.0.0.0:9/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::]/",
    "http://[::1]:9/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[::ffff:0:127.0.0.1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[64:ff9b:1::a00:1]/",
    "http://[2002:7f00:1::]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://localhost.:9/",
    "http://foo.localhost/",
    "http://printer.local./",
    "http://metadata.google.internal/",
  ])("%s", async (url) => {
    delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    const err = await refusal(url);
    expect(err.kind).toBe("refused");
    expect(err.message).toMatch(/private, loopback or link-local/);
  });

  it("refuses a name that resolves to loopback, at connect time (here: vm from /etc/hosts, and localhost by the resolver)", async () => {
    delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    for (const url of ["http://vm:9/", "http://runsc:9/"]) {
      const err = await refusal(url);
      expect(err.kind, url).toBe("refused");
    }
  });
});
