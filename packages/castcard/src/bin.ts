#!/usr/bin/env node
// castcard-og: the standalone image service (see README). Configuration comes from the environment;
// the app's definition from `--config <file>`, CASTCARD_CONFIG, or ./castcard.config.mjs.
import { runOgService } from "./fronts/server/main";

const args = process.argv.slice(2);
let configFile: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--config" && args[i + 1]) configFile = args[++i];
  else if (arg.startsWith("--config=")) configFile = arg.slice("--config=".length);
  else {
    console.error(`castcard-og: unknown argument "${arg}" (usage: castcard-og [--config castcard.config.mjs])`);
    process.exit(2);
  }
}

await runOgService({ configFile });
