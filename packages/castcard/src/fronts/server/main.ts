// `castcard-og` (and `runOgService()`): the image service on its own, without Next.js. Reads the
// same environment and the same app definition (castcard.config.mjs) as the Next app, once, and
// serves the same core routes, so a card URL draws the same bytes on both.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { version as packageVersion } from "../../../package.json";
import { appModuleOf } from "../../config/index";
import { castcardFromEnv, exitOnConfigError, type StartOptions } from "../start";
import { writeJsonLine } from "./log";
import { startOgService, type OgService } from "./service";

/** Supervisors (systemd, Kubernetes, Docker) wait about 10 s after SIGTERM before killing. */
const EXIT_DEADLINE_MS = 9500;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type RunOgServiceOptions = Omit<StartOptions, "log"> & {
  /**
   * The app's definition to load: a plain JavaScript module whose default export is the options
   * (`export default defineCastcard({ app, designs, … })`), the same file the Next app imports.
   * Options given here win over its. Default: CASTCARD_CONFIG, else `castcard.config.mjs` in the
   * working directory when there is one. False: none.
   */
  configFile?: string | false;
};

/** The file the service looks for in its working directory when no other is named. */
export const APP_MODULE_FILE = "castcard.config.mjs";

/** Where the app's definition comes from, or null for none. */
function appModulePath(options: RunOgServiceOptions): string | null {
  if (options.configFile === false) return null;
  const named = options.configFile ?? appModuleOf(options.env ?? process.env);
  if (named) return resolve(named);
  const found = resolve(APP_MODULE_FILE);
  return existsSync(found) ? found : null;
}

/** Imports the app's definition: its default export, an options object. Throws with one line. */
export async function loadAppModule(path: string): Promise<Omit<StartOptions, "env">> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw new Error(`cannot load ${path}: ${errorMessage(error).split("\n")[0]}`);
  }
  const definition = module.default;
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    throw new Error(`${path} must export its options as default: export default defineCastcard({ app, designs })`);
  }
  return definition as Omit<StartOptions, "env">;
}

/**
 * Runs the image service as a process of its own: configuration from the environment, JSON log
 * lines on stdout, graceful shutdown on SIGTERM/SIGINT (drain, then exit), and a one-line exit on a
 * configuration error. Resolves once the service listens.
 */
export async function runOgService(options: RunOgServiceOptions = {}): Promise<OgService> {
  // A rejected render or fetch nobody awaited must not take every other request down with it.
  process.on("unhandledRejection", (reason) => writeJsonLine({ event: "unhandled-rejection", error: errorMessage(reason) }));

  const { configFile: _configFile, ...given } = options;
  const file = appModulePath(options);
  let definition: Omit<StartOptions, "env"> = {};
  if (file) {
    try {
      definition = await loadAppModule(file);
    } catch (error) {
      console.error(`castcard: ${errorMessage(error)}`);
      process.exit(1);
    }
  }
  const version = given.version ?? packageVersion;
  const castcard = exitOnConfigError(() =>
    castcardFromEnv({ ...definition, ...given, version, log: (entry) => writeJsonLine({ source: "castcard", ...entry }) }),
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
  writeJsonLine({ event: "listening", url: service.url, version, ogUrl: config.ogUrl, app: config.app.name, config: file });

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
