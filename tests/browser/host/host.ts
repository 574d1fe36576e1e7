// The test host: a minimal Farcaster client built on the official host library. esbuild bundles
// this file into the host page, served on an origin other than the app's.
import { exposeToIframe, type Context, type MiniAppHost } from "@farcaster/miniapp-host";
import { configFromSearch, HOST_ERROR_MESSAGE, PUBLISHED_HASH, type ComposeMode, type HostHandle, type RecordedCall } from "./protocol";

const config = configFromSearch(location.search);
const calls: RecordedCall[] = [];
let compose: ComposeMode = config.compose;
const handle: HostHandle = { calls, setCompose: (mode) => (compose = mode) };
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
  client: { clientFid: 9152, added: false, platformType: "mobile", safeAreaInsets: { top: 0, bottom: 0, left: 0, right: 0 } },
  location: { type: "launcher" },
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
  addMiniApp: async () => (record("addMiniApp", []), { added: false } as never),
  signIn: async (options) => (record("signIn", [options]), Promise.reject(new Error("signIn is not offered by the test host"))),
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
