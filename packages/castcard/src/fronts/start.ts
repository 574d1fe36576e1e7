// The one start-up both fronts use: configuration read once from the environment, its warnings
// printed, the Castcard built; a configuration error ends the process with its one line.
import { ConfigError, loadConfig, type Env } from "../config/index";
import { createCastcard, type Castcard, type CastcardOptions } from "./castcard";

export interface StartOptions extends CastcardOptions {
  /** Where configuration is read from, once; default `process.env`. */
  env?: Env;
}

/** Builds a Castcard from the environment. Throws ConfigError on a bad setting. */
export function castcardFromEnv(options: StartOptions = {}): Castcard {
  const { env, ...castcardOptions } = options;
  const { config, warnings } = loadConfig(env ?? process.env);
  for (const warning of warnings) console.warn(`castcard: ${warning}`);
  return createCastcard(config, castcardOptions);
}

/** Runs `build`; a ConfigError is printed as one line and ends the process, anything else is thrown. */
export function exitOnConfigError<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`castcard: ${error.message}`);
    process.exit(1);
  }
}
