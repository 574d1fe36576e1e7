/** A JSON log line (outages, recoveries). */
export type Log = (entry: { event: string; [key: string]: unknown }) => void;

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// PostgreSQL's SQLSTATE codes an outage is likely to bring, by name.
const SQLSTATE: Record<string, string> = {
  "57P01": "admin_shutdown",
  "57P02": "crash_shutdown",
  "57P03": "cannot_connect_now",
  "53100": "disk_full",
  "53200": "out_of_memory",
  "53300": "too_many_connections",
  "57014": "query_canceled",
  "40P01": "deadlock_detected",
  "28P01": "invalid_password",
  "3D000": "invalid_catalog_name",
  "25006": "read_only_sql_transaction",
};

// Errors without a code, told apart by their (stable, library-made) message.
const MESSAGES: Array<[RegExp, string]> = [
  [/^Connection terminated/i, "connection terminated"],
  [/timeout exceeded when trying to connect/i, "connect timeout"],
  [/Query read timeout/i, "query timeout"],
  [/not queryable|Client was closed/i, "connection closed"],
  [/too many records waiting/i, "queue full"],
];

/**
 * The cause of a store failure in a few words, safe to show on /healthz: an errno (`ECONNREFUSED`,
 * `EACCES`), an SQLite result code (`SQLITE_FULL`), a PostgreSQL condition (`57P01
 * admin_shutdown`), or a short phrase; never a path, a host or a statement.
 */
export function causeOf(error: unknown): string {
  const e = error as { code?: unknown; errors?: Array<{ code?: unknown }> } | null;
  const code = typeof e?.code === "string" ? e.code : typeof e?.errors?.[0]?.code === "string" ? e.errors[0].code : null;
  if (code && /^[0-9A-Z]{5}$/.test(code) && !/^E[A-Z]+$/.test(code)) return SQLSTATE[code] ? `${code} ${SQLSTATE[code]}` : code;
  if (code && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  const message = messageOf(error);
  for (const [pattern, cause] of MESSAGES) if (pattern.test(message)) return cause;
  return "error";
}

/** An outage of the store, logged once: the first failure says so (and why), the first write after says it is over. */
export interface Outage {
  /** The cause of the outage under way; null when there is none. */
  cause(): string | null;
  /** A store operation failed: true when this began an outage. */
  failed(what: string, error: unknown): boolean;
  /** A write succeeded: true when this ended an outage. */
  recovered(): boolean;
}

export function createOutage(log: Log, now: () => number = Date.now): Outage {
  let cause: string | null = null;
  let since = 0;
  let missed = 0;
  return {
    cause: () => cause,
    failed(what, error) {
      missed++;
      const first = cause === null;
      cause = causeOf(error);
      if (!first) return false;
      since = now();
      log({ event: "analytics-unavailable", what, reason: cause, message: messageOf(error).slice(0, 200) });
      return true;
    },
    recovered() {
      if (cause === null) return false;
      log({ event: "analytics-recovered", reason: cause, failures: missed, downSeconds: Math.round((now() - since) / 1000) });
      cause = null;
      missed = 0;
      return true;
    },
  };
}
