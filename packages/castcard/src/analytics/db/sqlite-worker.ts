// The SQLite worker thread: it owns the libsql connection, runs the statements the dialect in
// sqlite.ts sends, and checks before each commit that the file it opened is still the one on disk.

// Plain JavaScript, evaluated as the worker's script: no build step or loader needed in any front
// (Next's server bundle, the compiled package, vitest, tsx).
export const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
let db;
// The file's device and inode when it was opened: checked before each commit, so a file deleted or
// replaced under the store is noticed instead of written into (a deleted file's writes are lost).
let identity = null;
// Set once the file was found deleted or replaced: this connection takes nothing more.
let gone = null;
let Database;
// The driver's entry file as the main thread resolved it (see libsqlEntries), else by name from
// the working directory (a bundled server whose node_modules sit beside it).
for (const entry of workerData.libsql) {
  try {
    Database = require(entry);
    break;
  } catch {}
}
const statements = new Map();
const fail = (id, error) => parentPort.postMessage({ id, error: { message: String(error && error.message || error), code: error && error.code || null } });
try {
  if (!Database) throw new Error("the libsql package cannot be found");
  // No database file: a log or shared-memory file left beside it belongs to a deleted one.
  if (!fs.existsSync(workerData.file)) for (const end of ["-wal", "-shm"]) fs.rmSync(workerData.file + end, { force: true });
  db = new Database(workerData.file);
  db.exec("pragma busy_timeout = " + Number(workerData.busyTimeoutMs));
  db.exec("pragma journal_mode = wal");
  // FULL: a commit returns after the write-ahead log is on disk, so an acknowledged write survives
  // a crash of the process or of the machine.
  db.exec("pragma synchronous = full");
  db.exec("pragma foreign_keys = off");
  const stat = fs.statSync(workerData.file);
  identity = { dev: stat.dev, ino: stat.ino };
  parentPort.postMessage({ id: 0, ready: true });
} catch (error) {
  fail(0, error);
}
// One statement: its answer's fields, or a thrown error.
const execute = (sql, params) => {
  if (sql === "rollback" && !(db && db.inTransaction)) return { changes: 0 };
  if (gone) throw gone;
  if (sql === "commit") {
    let stat = null;
    try { stat = fs.statSync(workerData.file); } catch {}
    if (!stat || stat.dev !== identity.dev || stat.ino !== identity.ino) {
      try { db.exec("rollback"); } catch {}
      // Empty the write-ahead log into the file it belongs to: a file put in its place must not
      // read this one's frames as its own.
      try { db.exec("pragma wal_checkpoint(truncate)"); } catch {}
      const what = stat ? "replaced" : "deleted";
      gone = { message: "the database file was " + what + " while open", code: "FILE_" + what.toUpperCase() };
      throw gone;
    }
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (statements.size >= 256) statements.clear();
    statements.set(sql, statement);
  }
  if (statement.reader) return { rows: statement.all(params) };
  return { changes: Number(statement.run(params).changes ?? 0) };
};
parentPort.on("message", (message) => {
  const { id, steps, close } = message;
  if (close) {
    // Statements hold the connection open: let them go first, so closing it really closes it.
    statements.clear();
    try { db && db.close(); } catch {}
    parentPort.postMessage({ id, closed: true });
    return;
  }
  // Statements in order (a transaction's writes travel with the next statement that needs an
  // answer): the last one's answer, or the first error, after which the rest are not run.
  try {
    let answer;
    for (const step of steps) answer = execute(step.sql, step.params);
    parentPort.postMessage({ id, ...answer });
  } catch (error) {
    fail(id, error);
  }
});
`;
