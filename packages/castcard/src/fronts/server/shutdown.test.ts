import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { closeGracefully, refuseWhenStopping } from "./shutdown";

// A real HTTP server with one slow route the test releases by hand.
async function startSlowServer() {
  let stopping = false;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const app = new Hono();
  app.use(refuseWhenStopping(() => stopping));
  app.get("/slow", async (c) => {
    arrived();
    await released;
    return c.text("slow done");
  });
  app.get("/fast", (c) => c.text("fast"));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    release,
    slowArrived,
    stop: (timeoutMs?: number) => {
      stopping = true;
      return closeGracefully(server, { timeoutMs });
    },
  };
}

let current: Awaited<ReturnType<typeof startSlowServer>> | undefined;
afterEach(() => {
  current?.release();
  current?.server.closeAllConnections();
  current?.server.close();
});

const refusedCode = (error: unknown) => ((error as { cause?: { code?: string } }).cause?.code ?? "");

describe("closeGracefully", () => {
  it("lets an in-flight request finish, refuses new connections, then resolves drained", async () => {
    current = await startSlowServer();
    const slow = fetch(`${current.url}/slow`);
    await current.slowArrived;
    const stopped = current.stop();

    const late = await fetch(`${current.url}/fast`).then(
      () => "answered",
      (error: unknown) => refusedCode(error),
    );
    expect(late).toBe("ECONNREFUSED");

    current.release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("slow done");
    expect(await stopped).toEqual({ drained: true });
  });

  it("answers 503 to a request that arrives on a busy connection after shutdown began", async () => {
    current = await startSlowServer();
    const socket = connect(current.port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
    await current.slowArrived;
    const stopped = current.stop();
    // The server must have read the second request before the first one is answered.
    const secondRead = new Promise<void>((resolve) => current!.server.on("request", (req) => req.url === "/fast" && resolve()));
    socket.write("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n");
    await secondRead;
    current.release();
    await closed;

    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(responses[0]).toContain("slow done");
    expect(responses[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(responses[1]).toMatch(/retry-after: 5/i);
    expect(responses[1]).toContain("shutting down");
    expect(await stopped).toEqual({ drained: true });
  });

  it("cuts off a request that outlives the deadline and says it did not drain", async () => {
    current = await startSlowServer();
    const slow = fetch(`${current.url}/slow`).then(
      () => "answered",
      () => "cut off",
    );
    await current.slowArrived;
    const started = Date.now();
    expect(await current.stop(300)).toEqual({ drained: false });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await slow).toBe("cut off");
  });
});
