/** A setting that cannot be used: its message is one line a person can act on. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
