import type { Log } from "./lifecycle";

/** An outage of the store, logged once: the first failure says so, the first success after says it is over. */
export interface Outage {
  /** An operation on the store failed: counted, and the outage logged if it is the first. */
  failed(what: string, error: unknown): void;
  /** An operation on the store succeeded: ends an outage. */
  succeeded(): void;
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createOutage(log: Log): Outage {
  let down = false;
  let missed = 0;
  return {
    failed(what, error) {
      missed++;
      if (down) return;
      down = true;
      log({ event: "analytics-unavailable", what, reason: messageOf(error).slice(0, 200) });
    },
    succeeded() {
      if (!down) return;
      down = false;
      log({ event: "analytics-recovered", missed });
      missed = 0;
    },
  };
}
