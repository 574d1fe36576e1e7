// Castcard's core on a plain Node HTTP server (@hono/node-server), with no Next in front: how fast
// the same handler is once the framework's per-request cost is gone. Prints "LISTENING <url>".
import { serve } from "@hono/node-server";
import { createCastcard } from "../src/og/app/index";
import { loadConfig } from "../src/og/config/index";

const { config } = loadConfig({ NODE_ENV: "production", APP_URL: "https://castcard.example.com" });
const app = createCastcard(config);
await app.ready;
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`LISTENING http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
