// `castcard-og` (and `runOgService()`): the image service on its own, without Next.js. Reads the
// same environment as the Next app, once, and serves the same core routes.
import { version as packageVersion } from "../../package.json";
import { createCastcard, type CastcardOptions } from "../app/index";
import { ConfigError, loadConfig, type CastcardConfig, type Env } from "../config/index";
import { writeJsonLine } from "./log";
import { startOgService, type OgService } from "./service";

/** Supervisors (systemd, Kubernetes, Docker) wait about 10 s after SIGTERM before killing. */
const EXIT_DEADLINE_MS = 9500;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface RunOgServiceOptions extends Omit<CastcardOptions, "log"> {
  /** Where configuration is read from, once; default `process.env`. */
  env?: Env;
}

/**
 * Runs the image service as a process of its own: configuration from the environment, JSON log
 * lines on stdout, graceful shutdown on SIGTERM/SIGINT (drain, then exit), and a one-line exit on a
 * configuration error. Resolves once the service listens.
 */
export async function runOgService(options: RunOgServiceOptions = {}): Promise<OgService> {
  const { env, ...castcardOptions } = options;
  // A rejected render or fetch nobody awaited must not take every other request down with it.
  process.on("unhandledRejection", (reason) => writeJsonLine({ event: "unhandled-rejection", error: errorMessage(reason) }));

  let config: CastcardConfig;
  try {
    const loaded = loadConfig(env ?? process.env);
    config = loaded.config;
    for (const warning of loaded.warnings) console.warn(`castcard: ${warning}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`castcard: ${error.message}`);
    process.exit(1);
  }

  const version = castcardOptions.version ?? packageVersion;
  const castcard = createCastcard(config, { ...castcardOptions, version, log: (entry) => writeJsonLine({ source: "castcard", ...entry }) });

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
    // Everything acknowledged is already committed; this writes what is still queued and closes the store.
    await castcard.close().catch((error: unknown) => writeJsonLine({ event: "analytics-close-failed", error: errorMessage(error) }));
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
  return service;
}
