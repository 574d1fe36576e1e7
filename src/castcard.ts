import { createCastcard, type Castcard } from "./og/app/index";
import { ConfigError, loadConfig } from "./og/config/index";
import { version } from "../package.json";

// The only module that reads process.env. Next bundles instrumentation and routes separately, so
// the instance lives on globalThis to be built (and its warnings printed) exactly once per process.
const KEY = Symbol.for("castcard.instance");
type Holder = { [KEY]?: Castcard };

export function castcard(): Castcard {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const { config, warnings } = loadConfig(process.env);
    for (const warning of warnings) console.warn(`castcard: ${warning}`);
    holder[KEY] = createCastcard(config, {
      version,
      log: (entry) => console.log(JSON.stringify({ source: "castcard", ...entry })),
    });
  }
  return holder[KEY];
}

/**
 * Called once when a server starts: builds the instance and warms the renderer. A configuration
 * error ends the process with its one-line explanation instead of serving a half-configured app.
 */
export async function startCastcard(): Promise<Castcard> {
  try {
    const instance = castcard();
    await instance.ready;
    return instance;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`castcard: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
