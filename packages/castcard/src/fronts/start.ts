// The one start-up both fronts use: configuration read once from the environment, its warnings
// printed, the Castcard built; a configuration error ends the process with its one line.
import { ConfigError, loadConfig, type AppInput, type Env } from "../config/index";
import { createCastcard, type Castcard, type CastcardOptions } from "./castcard";

export interface StartOptions extends CastcardOptions {
  /** Where configuration is read from, once; default `process.env`. */
  env?: Env;
  /**
   * Who the app is: name, texts, colour, icon and splash, sample user, the card's brand and
   * subtitle. Every value left out follows from the name; the environment's APP_NAME,
   * APP_BUTTON_TITLE, APP_DESCRIPTION, APP_TAGLINE, APP_COLOR, APP_ICON_URL and APP_SPLASH_URL win.
   */
  app?: AppInput;
}

/**
 * What castcard.config.mjs exports: the app and its designs, one definition both fronts load (the
 * Next app imports it, `castcard-og` finds it). Returns what it is given, typed.
 */
export function defineCastcard<T extends Omit<StartOptions, "env">>(definition: T): T {
  return definition;
}

/** Builds a Castcard from the environment. Throws ConfigError on a bad setting. */
export function castcardFromEnv(options: StartOptions = {}): Castcard {
  const { env, app, ...castcardOptions } = options;
  const { config, warnings } = loadConfig(env ?? process.env, { app });
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
