// The browser's `@farcaster/miniapp-core` (next.config.ts aliases the bare name to this file for
// client bundles only). The SDK's own modules take five names from the package: three error
// namespaces and two Solana wallet helpers. The package's index also re-exports every zod schema
// and @solana/web3.js (≈100 KB gzip together) and declares no `sideEffects: false`, so a bundler
// keeps them all. Here the errors come from the package's own small files, and the Solana helpers
// load the real ones on first use: a Mini App that never touches the Solana wallet never downloads
// them. `miniapp-core.browser.test.ts` fails when an SDK update takes a name this file lacks.
import type * as Solana from "@farcaster/miniapp-core/esm/solana.js";
import type * as SolanaWire from "@farcaster/miniapp-core/esm/solanaWire.js";

export * as AddMiniApp from "@farcaster/miniapp-core/esm/actions/AddMiniApp.js";
export * as SignIn from "@farcaster/miniapp-core/esm/actions/SignIn.js";
export * as SignManifest from "@farcaster/miniapp-core/esm/actions/SignManifest.js";

type WireRequest = Parameters<typeof SolanaWire.unwrapSolanaProviderRequest>[0];
type Request = ReturnType<typeof SolanaWire.unwrapSolanaProviderRequest>;
type Provider = ReturnType<typeof Solana.createSolanaWalletProvider>;

/** The SDK's Solana request over the wire, its (de)serialising code loaded on the first request. */
export function unwrapSolanaProviderRequest(wire: WireRequest): Request {
  let real: Promise<Request> | undefined;
  const load = () => (real ??= import("@farcaster/miniapp-core/esm/solanaWire.js").then((m) => m.unwrapSolanaProviderRequest(wire)));
  return (async (request: Parameters<Request>[0]) => (await load())(request)) as Request;
}

/** The Solana wallet provider, its library loaded on the first call. */
export function createSolanaWalletProvider(request: Request): Provider {
  let real: Promise<Provider> | undefined;
  const load = () => (real ??= import("@farcaster/miniapp-core/esm/solana.js").then((m) => m.createSolanaWalletProvider(request)));
  return {
    request,
    signMessage: async (message) => (await load()).signMessage(message),
    signTransaction: async (transaction) => (await load()).signTransaction(transaction),
    signAndSendTransaction: async (input) => (await load()).signAndSendTransaction(input),
  };
}
