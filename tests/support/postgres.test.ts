import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./postgres";
import { installedBinaries } from "./postgres-server";

// The test PostgreSQL server, when it cannot start, fails its caller with one line saying why
// (rather than leaving a test hook to time out), and leaves no temporary folder behind.
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

/** A folder (reachable by the server's user) for the server's temporary folder, checked empty after. */
function parent(): string {
  const dir = mkdtempSync(join(tmpdir(), "castcard-pg-parent-"));
  chmodSync(dir, 0o755);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function failure(start: Promise<unknown>): Promise<string> {
  const error = await start.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe("the test PostgreSQL server that cannot start", () => {
  it("names the program its user cannot reach, on one line", async () => {
    // The binaries in a folder nobody but its owner may enter; its owner is not the server's user
    // as root (the server runs as `postgres`), and mode 000 shuts out a plain user too.
    const locked = mkdtempSync(join(tmpdir(), "castcard-locked-"));
    cleanup.push(() => {
      chmodSync(locked, 0o700);
      rmSync(locked, { recursive: true, force: true });
    });
    mkdirSync(join(locked, "bin"));
    for (const program of ["initdb", "postgres"]) copyFileSync(join(await installedBinaries(), "bin", program), join(locked, "bin", program));
    chmodSync(locked, 0o000);
    const under = parent();

    const message = await failure(startEmbeddedPostgres({ binaries: locked, under }));

    expect(message).not.toContain("\n");
    expect(message).toMatch(/^embedded PostgreSQL did not start: cannot run .*castcard-locked-.*\/bin\/initdb.*: EACCES/);
    expect(readdirSync(under)).toEqual([]);
  });

  it("passes on the server's own reason when it exits at start, on one line", async () => {
    // The port is taken: initdb succeeds, then postgres cannot bind and exits.
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => taken.close());
    const port = (taken.address() as { port: number }).port;
    const under = parent();

    const message = await failure(startEmbeddedPostgres({ port, under }));

    expect(message).not.toContain("\n");
    expect(message).toMatch(/^embedded PostgreSQL did not start: postgres exited \(code 1\): .*could not bind IPv4 address "127\.0\.0\.1": Address already in use/);
    expect(readdirSync(under)).toEqual([]);
  });
});
