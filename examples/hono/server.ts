// Castcard's card route inside your own Hono app.
//   npx tsx examples/hono/server.ts      then open http://127.0.0.1:8787/api/og?username=alice
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createOgHandler } from "castcard";

const og = createOgHandler({
  // Any public https avatar host; list hosts (exact or "*.suffix") to narrow it.
  avatar: { allowPrivate: false, hosts: null },
  // Finished cards kept in memory, in bytes.
  cache: { renderBytes: 32 * 1024 * 1024 },
  log: (entry) => console.error(JSON.stringify(entry)),
});
// Fonts registered and renderer warmed before the first request.
await og.ready;

const app = new Hono();
app.on(["GET", "HEAD"], "/api/og", (c) => og(c.req.raw));
app.get("/", (c) => c.text("Try /api/og?username=alice\n"));

const port = Number(process.env.PORT ?? 8787);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  console.log(`listening on http://${process.env.HOST ?? "127.0.0.1"}:${info.port}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
