// `castcard-og` (and `runOgService()`): the image service on its own, without Next.js. Reads the
// same environment as the Next app, once, and serves the same core routes.
import { version as packageVersion } from "../../../package.json";
import { castcardFromEnv, exitOnConfigError, type StartOptions } from "../start";
import { writeJsonLine } from "./log";
import { startOgService, type OgService } from "./service";

/** Supervisors (systemd, Kubernetes, Docker) wait about 10 s after SIGTERM before killing. */
const EXIT_DEADLINE_MS = 9500;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type RunOgServiceOptions = Omit<StartOptions, "log">;

/**
 * Runs the image service as a process of its own: configuration from the environment, JSON log
 * lines on stdout, graceful shutdown on SIGTERM/SIGINT (drain, then exit), and a one-line exit on a
 * configuration error. Resolves once the service listens.
 */
export async function runOgService(options: RunOgServiceOptions = {}): Promise<OgService> {
  // A rejected render or fetch nobody awaited must not take every other request down with it.
  process.on("unhandledRejection", (reason) => writeJsonLine({ event: "unhandled-rejection", error: errorMessage(reason) }));

  const version = options.version ?? packageVersion;
  const castcard = exitOnConfigError(() =>
    castcardFromEnv({ ...options, version, log: (entry) => writeJsonLine({ source: "castcard", ...entry }) }),
  );
  const { config } = castcard;

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
  return service;
}
