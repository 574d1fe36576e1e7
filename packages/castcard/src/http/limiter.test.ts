import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter";

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe("createLimiter", () => {
  it("runs up to `concurrency` at once, queues `queue` more and sheds the rest", async () => {
    const limiter = createLimiter({ concurrency: 2, queue: 1 });
    const g = gate();
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await g.opened;
      running--;
      return "done";
    };
    const results = [limiter.run(task), limiter.run(task), limiter.run(task), limiter.run(task)];
    expect(await results[3]).toEqual({ shed: true });
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 1, shed: 1 });
    g.open();
    expect(await Promise.all(results.slice(0, 3))).toEqual([
      { shed: false, value: "done" },
      { shed: false, value: "done" },
      { shed: false, value: "done" },
    ]);
    expect(peak).toBe(2);
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, shed: 1 });
  });

  it("frees the slot of a task that rejects", async () => {
    const limiter = createLimiter({ concurrency: 1, queue: 0 });
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limiter.run(async () => 1)).toEqual({ shed: false, value: 1 });
    expect(limiter.stats().running).toBe(0);
  });
});
