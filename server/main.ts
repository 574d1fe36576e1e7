// `npm run og-server` / `castcard-og`: the image service on its own, without Next.js. Reads the
// same environment as the Next app, once, and serves the same core routes.
import { readFileSync } from "node:fs";
import { createCastcard } from "../src/og/app/index";
import { ConfigError, loadConfig, type CastcardConfig } from "../src/og/config/index";
import { writeJsonLine } from "./log";
import { startOgService, type OgService } from "./service";

/** Supervisors (systemd, Kubernetes, Docker) wait about 10 s after SIGTERM before killing. */
const EXIT_DEADLINE_MS = 9500;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

// A rejected render or fetch nobody awaited must not take every other request down with it.
process.on("unhandledRejection", (reason) => writeJsonLine({ event: "unhandled-rejection", error: errorMessage(reason) }));

let config: CastcardConfig;
try {
  const loaded = loadConfig(process.env);
  config = loaded.config;
  for (const warning of loaded.warnings) console.warn(`castcard: ${warning}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`castcard: ${error.message}`);
  process.exit(1);
}

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
const castcard = createCastcard(config, { version, log: (entry) => writeJsonLine({ source: "castcard", ...entry }) });

let service: OgService;
try {
  await castcard.ready;
  service = await startOgService({ castcard, port: config.port, hostname: config.host ?? undefined });
} catch (error) {
  console.error(`castcard: could not start the image service: ${errorMessage(error)}`);
  process.exit(1);
}
writeJsonLine({ event: "listening", url: service.url, version, ogUrl: config.ogUrl });

async function stop(reason: string, code: number) {
  if (service.stopping) {
    // A second signal: the operator wants out now.
    writeJsonLine({ event: "shutdown-forced", reason });
    process.exit(1);
  }
  writeJsonLine({ event: "shutdown", reason });
  setTimeout(() => {
    writeJsonLine({ event: "shutdown-deadline" });
    process.exit(1);
  }, EXIT_DEADLINE_MS).unref();
  const { drained } = await service.shutdown();
  writeJsonLine({ event: "stopped", drained });
  process.exit(drained ? code : 1);
}

process.on("SIGTERM", () => void stop("SIGTERM", 0));
process.on("SIGINT", () => void stop("SIGINT", 0));
// State after an uncaught exception is unknown: finish what is in flight, then let the supervisor restart us.
process.on("uncaughtException", (error) => {
  writeJsonLine({ event: "uncaught-exception", error: errorMessage(error) });
  void stop("uncaught-exception", 1);
});
