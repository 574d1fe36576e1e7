import type { CompiledQuery, RootOperationNode } from "kysely";

/** A statement as the SQLite worker runs it. */
export interface Step {
  sql: string;
  params: readonly unknown[];
}

/** A write whose caller needs no rows back: an insert, update or delete without RETURNING. */
function needsNoAnswer(node: RootOperationNode): boolean {
  return (node.kind === "InsertQueryNode" || node.kind === "UpdateQueryNode" || node.kind === "DeleteQueryNode") && !node.returning;
}

/**
 * The statements of the open transaction not yet sent to the worker. Each message to the worker
 * costs the main thread more than compiling the statement it carries, so inside a transaction
 * `begin` and every write that needs no answer wait here, and go in one message with the next
 * statement that needs an answer (a select, a RETURNING) or with the commit. Nothing changes for
 * what is committed: the worker runs them in the same order, in the same transaction, and the first
 * one to fail fails the message, hence the transaction, which is rolled back. What a held write
 * gives up is its own row count, reported as unknown; outside a transaction nothing is held.
 */
export class HeldSteps {
  #steps: Step[] = [];
  #open = false;
  /** True once something of the open transaction reached the worker (its `begin` first). */
  #sent = false;

  begin(step: Step): void {
    this.#open = true;
    this.#sent = false;
    this.#steps = [step];
  }

  /** Keeps the query for later and answers true when it needs no answer in an open transaction. */
  hold(query: CompiledQuery): boolean {
    if (!this.#open || !needsNoAnswer(query.query)) return false;
    this.#steps.push({ sql: query.sql, params: query.parameters });
    return true;
  }

  /** What to send now: the held steps, then this one. */
  with(step: Step): Step[] {
    const steps = this.#steps.length ? [...this.#steps, step] : [step];
    this.#steps = [];
    if (this.#open) this.#sent = true;
    return steps;
  }

  /**
   * Ends the transaction: the steps that end it with a commit (everything held, then `commit`); for a
   * rollback, none when nothing reached the worker yet (there is no transaction there to roll back),
   * else just the rollback (the held writes would be undone anyway).
   */
  end(step: Step, commit: boolean): Step[] {
    const steps = commit ? this.with(step) : this.#sent ? [step] : [];
    this.#steps = [];
    this.#open = false;
    return steps;
  }
}
