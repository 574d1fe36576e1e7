import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_PUBLIC, makeCertificate, redirect, send, startServer, type TestServer } from "../../../../../../tests/hostile/support";
import { FetchRefused, guardedFetch, type GuardedFetchOptions } from "./index";

// The hostile suite (tests/hostile) covers the refusals; these pin down the connection itself.
let tlsServer: TestServer;
let plain: TestServer;
let cert: string;
const asked: string[] = [];
const dialled: { address: string; port: number; servername: string }[] = [];

beforeAll(async () => {
  const tls = makeCertificate();
  cert = tls.cert;
  plain = await startServer({ "/a.png": send("png-bytes", { "content-type": "image/png" }) });
  tlsServer = await startServer(
    {
      "/a.png": send("png-bytes", { "content-type": "image/png" }),
      "/hop": (req, res) => redirect(`https://b.castcard.test:${tlsServer.port}/a.png`)(req, res),
    },
    tls,
  );
});
afterAll(() => Promise.all([tlsServer?.close(), plain?.close()]));

const options = (more: Partial<GuardedFetchOptions> = {}): GuardedFetchOptions => ({
  allowPrivate: false,
  hosts: null,
  timeoutMs: 3000,
  maxBytes: 1024,
  maxRedirects: 3,
  contentTypes: new Set(["image/png"]),
  resolve: async (host) => {
    asked.push(host);
    return [FAKE_PUBLIC];
  },
  ca: cert,
  ports: [tlsServer.port],
  dial: (target) => {
    dialled.push(target);
    return "127.0.0.1";
  },
  ...more,
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "fetched",
    (error: unknown) => (error instanceof FetchRefused ? error.reason : `threw ${String(error)}`),
  );

describe("guardedFetch", () => {
  it("asks DNS once, dials the checked address, keeps the name for SNI and Host", async () => {
    asked.length = 0;
    dialled.length = 0;
    const fetched = await guardedFetch(`https://a.castcard.test:${tlsServer.port}/a.png`, options());
    expect(fetched.body.toString()).toBe("png-bytes");
    expect(fetched.contentType).toBe("image/png");
    expect(asked).toEqual(["a.castcard.test"]);
    expect(dialled).toEqual([{ address: FAKE_PUBLIC, port: tlsServer.port, servername: "a.castcard.test" }]);
    expect(tlsServer.requests.at(-1)).toMatchObject({ servername: "a.castcard.test", host: `a.castcard.test:${tlsServer.port}` });
  });

  it("checks AVATAR_HOSTS on every hop", async () => {
    const hop = `https://a.castcard.test:${tlsServer.port}/hop`;
    const only = (hosts: string[]) => options({ hosts });
    expect(await refusal(guardedFetch(hop, only(["a.castcard.test"])))).toBe("host-not-allowed");
    expect(await refusal(guardedFetch(`https://c.castcard.test:${tlsServer.port}/a.png`, only(["*.example.com"])))).toBe("host-not-allowed");
    expect(await refusal(guardedFetch(`https://a.castcard.test:${tlsServer.port}/a.png`, only(["*.castcard.test"])))).toBe("fetched");
  });

  it("refuses a certificate it cannot verify", async () => {
    expect(await refusal(guardedFetch(`https://a.castcard.test:${tlsServer.port}/a.png`, options({ ca: undefined })))).toBe("fetch-failed");
  });

  it("with allowPrivate (tests only) fetches plain http from loopback, without the shim", async () => {
    const fetched = await guardedFetch(`http://127.0.0.1:${plain.port}/a.png`, options({ allowPrivate: true, dial: undefined }));
    expect(fetched.body.toString()).toBe("png-bytes");
  });

  it("without it refuses the same URL before connecting", async () => {
    const before = plain.connections();
    expect(await refusal(guardedFetch(`http://127.0.0.1:${plain.port}/a.png`, options({ ports: [plain.port] })))).toBe("scheme");
    expect(await refusal(guardedFetch(`https://127.0.0.1:${plain.port}/a.png`, options({ ports: [plain.port] })))).toBe("address:127.0.0.0/8");
    expect(plain.connections()).toBe(before);
  });

  it("defaults to port 443 only", async () => {
    expect(await refusal(guardedFetch(`https://a.castcard.test:${tlsServer.port}/a.png`, options({ ports: undefined })))).toBe("port");
  });
});
