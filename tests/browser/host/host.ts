// The test host: a minimal Farcaster client built on the official host library. esbuild bundles
// this file into the host page, served on an origin other than the app's.
import { exposeToIframe, SignIn, type Context, type MiniAppHost } from "@farcaster/miniapp-host";
import * as Address from "ox/Address";
import * as Hex from "ox/Hex";
import * as PersonalMessage from "ox/PersonalMessage";
import * as Secp256k1 from "ox/Secp256k1";
import * as Signature from "ox/Signature";
import * as Siwe from "ox/Siwe";
import {
  configFromSearch, HOST_ERROR_MESSAGE, PUBLISHED_HASH, type ComposeMode, type HostHandle, type RecordedCall, type SignInMode,
} from "./protocol";

const config = configFromSearch(location.search);
const calls: RecordedCall[] = [];
let compose: ComposeMode = config.compose;
let signInMode: SignInMode | undefined = config.signIn;
const handle: HostHandle = { calls, setCompose: (mode) => (compose = mode), setSignIn: (mode) => (signInMode = mode) };

// The signed-in user's key (a custody address stands in for the one registered to the fid).
const USER_KEY = Secp256k1.randomPrivateKey();
const USER_ADDRESS = Address.fromPublicKey(Secp256k1.getPublicKey({ privateKey: USER_KEY }));

/** Sign In With Farcaster as a client does it: a SIWE message for the app's domain naming the fid, signed. */
function signInAs(fid: number, nonce: string, options: { notBefore?: string; expirationTime?: string }, domain?: string) {
  const app = new URL(config.appUrl);
  const message = Siwe.createMessage({
    domain: domain ?? app.host,
    address: USER_ADDRESS,
    statement: "Farcaster Auth",
    uri: `${app.origin}/`,
    version: "1",
    chainId: 10,
    nonce,
    issuedAt: new Date(),
    ...(options.notBefore ? { notBefore: new Date(options.notBefore) } : {}),
    ...(options.expirationTime ? { expirationTime: new Date(options.expirationTime) } : {}),
    resources: [`farcaster://fid/${fid}`],
  });
  const signature = Secp256k1.sign({ payload: PersonalMessage.getSignPayload(Hex.fromString(message)), privateKey: USER_KEY });
  return { message, signature: Signature.toHex(signature), authMethod: "custody" as const };
}
(window as unknown as { castcardHost: HostHandle }).castcardHost = handle;

const log = document.getElementById("log")!;
const splash = document.getElementById("splash")!;

function record(method: string, args: unknown[]) {
  // Keep what crossed the wire as plain data, as the test will read it.
  calls.push({ method, args: JSON.parse(JSON.stringify(args)) as unknown[], at: Math.round(performance.now()) });
  const item = document.createElement("li");
  // Escaped so the panel reads the same on machines without emoji fonts.
  const shown = args.map((a) => JSON.stringify(a).replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`));
  item.textContent = `${method}(${shown.join(", ")})`;
  log.append(item);
}

// The context type requires a fid; a client that sends none is exactly what case 7 plays.
const context = {
  user: config.user,
  client: { clientFid: 9152, added: config.added ?? false, platformType: "mobile", safeAreaInsets: { top: 0, bottom: 0, left: 0, right: 0 } },
  location: config.location ?? { type: "launcher" },
  features: { haptics: false },
} as Context.MiniAppContext;

const sdk: Omit<MiniAppHost, "ethProviderRequestV2"> = {
  context,
  ready: (options) => {
    record("ready", [options ?? null]);
    splash.hidden = true;
  },
  close: () => record("close", []),
  openUrl: (url) => record("openUrl", [url]),
  composeCast: async (options) => {
    record("composeCast", [options]);
    if (compose === "throw") throw new Error(HOST_ERROR_MESSAGE);
    if (compose === "cancel") return { cast: null } as never;
    return { cast: { hash: PUBLISHED_HASH, text: options.text, embeds: options.embeds } } as never;
  },
  viewCast: async (options) => record("viewCast", [options]),
  viewProfile: async (options) => record("viewProfile", [options]),
  viewToken: async (options) => (record("viewToken", [options]), undefined),
  sendToken: async (options) => (record("sendToken", [options]), { success: false, reason: "rejected_by_user" }),
  swapToken: async (options) => (record("swapToken", [options]), { success: false, reason: "rejected_by_user" }),
  openMiniApp: async (options) => void record("openMiniApp", [options]),
  addFrame: async () => (record("addFrame", []), { added: false } as never),
  addMiniApp: async () => {
    record("addMiniApp", []);
    if (!config.addEndpoint) return { added: false } as never;
    const res = await fetch(config.addEndpoint, { method: "POST" });
    if (!res.ok) throw new Error(`the client back end answered ${res.status}`);
    return { added: true, notificationDetails: (await res.json()) as { url: string; token: string } } as never;
  },
  signIn: async (options) => {
    record("signIn", [options]);
    if (signInMode === undefined) throw new Error("signIn is not offered by the test host");
    if (signInMode === "reject") throw new SignIn.RejectedByUser();
    // A moment for the user to confirm, as a client's sign-in sheet takes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return signInAs(signInMode.fid, options.nonce, options, signInMode.domain);
  },
  signManifest: async (options) => (record("signManifest", [options]), Promise.reject(new Error("signManifest is not offered by the test host"))),
  setPrimaryButton: (options) => record("setPrimaryButton", [options]),
  ethProviderRequest: async (request) => (record("ethProviderRequest", [request]), Promise.reject(new Error("no wallet in the test host"))),
  eip6963RequestProvider: () => record("eip6963RequestProvider", []),
  requestCameraAndMicrophoneAccess: async () => (record("requestCameraAndMicrophoneAccess", []), Promise.reject(new Error("denied"))),
  impactOccurred: async (style) => record("impactOccurred", [style]),
  notificationOccurred: async (type) => record("notificationOccurred", [type]),
  selectionChanged: async () => record("selectionChanged", []),
  getCapabilities: async () => (record("getCapabilities", []), ["actions.ready", "actions.composeCast", "actions.close", "actions.openUrl"]),
  getChains: async () => (record("getChains", []), []),
  updateBackState: async (state) => record("updateBackState", [state]),
};

const iframe = document.createElement("iframe");
iframe.id = "app";
iframe.width = "424";
iframe.height = "695";
iframe.setAttribute("sandbox", "allow-forms allow-scripts allow-same-origin allow-popups");
document.getElementById("phone")!.prepend(iframe);
// Answer before the app loads: the SDK asks for its context at start-up and never asks twice.
exposeToIframe({ iframe, sdk, miniAppOrigin: new URL(config.appUrl).origin });
iframe.src = config.appUrl;
