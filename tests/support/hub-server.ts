import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AbiParameters } from "ox";

// A local stand-in for a Farcaster hub's HTTP API (Snapchain's /v1 JSON): GET
// /v1/userDataByFid?fid=N answers the fid's USER_DATA_ADD messages as a hub does, and GET
// /v1/onChainSignersByFid?fid=N the fid's signer events, each with its ABI-encoded SignedKeyRequest.

/** An app key of a fid, added on chain at the request of a client app (`appFid`). */
export interface HubSigner {
  /** `0x` + 64 hex digits: the Ed25519 public key. */
  key: string;
  appFid: number;
}

const SIGNED_KEY_REQUEST = AbiParameters.from(["(uint256 requestFid, address requestSigner, bytes signature, uint256 deadline)"]);

/** The signer event's metadata as the KeyRegistry stores it: `abi.encode(SignedKeyRequest)`. */
export function signedKeyRequestMetadata(appFid: number): string {
  const encoded = AbiParameters.encode(SIGNED_KEY_REQUEST, [
    { requestFid: BigInt(appFid), requestSigner: `0x${"11".repeat(20)}`, signature: `0x${"22".repeat(65)}`, deadline: 1_900_000_000n },
  ]);
  return Buffer.from(encoded.slice(2), "hex").toString("base64");
}

/** The hub's JSON for a fid's on-chain signers. */
export function signerEvents(fid: number, signers: HubSigner[]) {
  return {
    events: signers.map((signer, i) => ({
      type: "EVENT_TYPE_SIGNER",
      chainId: 10,
      blockNumber: 100_000_000 + i,
      blockHash: `0x${"cd".repeat(32)}`,
      blockTimestamp: 1_700_000_000 + i,
      transactionHash: `0x${"ef".repeat(32)}`,
      logIndex: i,
      fid,
      signerEventBody: { key: signer.key, keyType: 1, eventType: "SIGNER_EVENT_TYPE_ADD", metadata: signedKeyRequestMetadata(signer.appFid), metadataType: 1 },
      txIndex: 0,
    })),
  };
}

export interface HubUser {
  username?: string;
  displayName?: string;
  pfpUrl?: string;
  bio?: string;
}

/** How the hub answers: normally, with a 500, never, after a delay, or with something that is not its JSON. */
export type HubMode = { kind: "up" } | { kind: "error" } | { kind: "hang" } | { kind: "slow"; ms: number } | { kind: "garbage" };

const TYPES: [keyof HubUser, string][] = [
  ["pfpUrl", "USER_DATA_TYPE_PFP"],
  ["displayName", "USER_DATA_TYPE_DISPLAY"],
  ["bio", "USER_DATA_TYPE_BIO"],
  ["username", "USER_DATA_TYPE_USERNAME"],
];

/** The hub's JSON for a fid's user data; `stale` adds older values that a newer message replaced. */
export function userDataMessages(fid: number, user: HubUser, stale: HubUser = {}) {
  const messages = [];
  let n = 0;
  for (const [source, timestamp] of [[stale, 100_000_000], [user, 120_000_000]] as const) {
    for (const [field, type] of TYPES) {
      const value = source[field];
      if (value === undefined) continue;
      n++;
      messages.push({
        data: {
          type: "MESSAGE_TYPE_USER_DATA_ADD",
          fid,
          timestamp: timestamp + n,
          network: "FARCASTER_NETWORK_MAINNET",
          userDataBody: { type, value },
        },
        hash: `0x${n.toString(16).padStart(40, "0")}`,
        hashScheme: "HASH_SCHEME_BLAKE3",
        signature: Buffer.alloc(64, n).toString("base64"),
        signatureScheme: "SIGNATURE_SCHEME_ED25519",
        signer: `0x${"ab".repeat(32)}`,
      });
    }
  }
  // Hubs do not promise an order: newest first makes "latest wins" matter.
  return { messages: messages.reverse(), nextPageToken: "" };
}

export async function startHubServer(users: Record<number, HubUser>, options: { apiKey?: string; signers?: Record<number, HubSigner[]> } = {}) {
  let mode: HubMode = { kind: "up" };
  const signers = options.signers ?? {};
  const requests: { fid: string | null; apiKey: string | undefined; path: string }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://hub");
    const path = url.pathname;
    if ((path !== "/v1/userDataByFid" && path !== "/v1/onChainSignersByFid") || req.method !== "GET") {
      return void res.writeHead(404, { "content-type": "application/json" }).end('{"errCode":"not_found"}');
    }
    const apiKey = req.headers["x-api-key"] as string | undefined;
    requests.push({ fid: url.searchParams.get("fid"), apiKey, path });
    if (options.apiKey && apiKey !== options.apiKey) {
      return void res.writeHead(401, { "content-type": "application/json" }).end('{"errCode":"unauthorized"}');
    }
    const answer = () => {
      const fid = Number(url.searchParams.get("fid"));
      if (!Number.isSafeInteger(fid) || fid <= 0) {
        return void res.writeHead(400, { "content-type": "application/json" }).end('{"errCode":"bad_request.validation_failure"}');
      }
      const data = path === "/v1/onChainSignersByFid" ? signerEvents(fid, signers[fid] ?? []) : userDataMessages(fid, users[fid] ?? {});
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(data));
    };
    switch (mode.kind) {
      case "hang":
        return;
      case "error":
        return void res.writeHead(500, { "content-type": "application/json" }).end('{"errCode":"unavailable"}');
      case "garbage":
        return void res.writeHead(200, { "content-type": "text/html" }).end("<html>502 Bad Gateway</html>");
      case "slow":
        return void setTimeout(answer, mode.ms);
      default:
        return answer();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users,
    signers,
    requests,
    setMode: (next: HubMode) => void (mode = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type HubServer = Awaited<ReturnType<typeof startHubServer>>;
