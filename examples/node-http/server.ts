// Castcard's card route on a plain node:http server, no framework.
//   npx tsx examples/node-http/server.ts      then open http://127.0.0.1:8788/api/og?username=alice
import { createServer } from "node:http";
import { createOgHandler } from "castcard";

const og = createOgHandler({
  // Any public https avatar host; list hosts (exact or "*.suffix") to narrow it.
  avatar: { allowPrivate: false, hosts: null },
  cache: { renderBytes: 32 * 1024 * 1024 },
  log: (entry) => console.error(JSON.stringify(entry)),
});
await og.ready;

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 8788);

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", `http://${host}:${port}`);
  if (url.pathname !== "/api/og") {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
    return;
  }
  try {
    // The handler only reads the method, the URL and If-None-Match: no body to forward.
    const headers = new Headers();
    if (req.headers["if-none-match"]) headers.set("if-none-match", req.headers["if-none-match"]);
    const response = await og(new Request(url, { method: req.method, headers }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("Internal error\n");
  }
});

server.listen(port, host, () => console.log(`listening on http://${host}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
