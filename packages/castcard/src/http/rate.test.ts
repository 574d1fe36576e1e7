import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate";

function clocked(burst = 3, windowMs = 60_000, maxKeys = 100) {
  let t = 1_000_000;
  const limiter = createRateLimiter({ burst, windowMs, maxKeys, now: () => t });
  return { limiter, advance: (ms: number) => (t += ms) };
}

describe("per-key rate limiter", () => {
  it("allows a burst, then refuses with the seconds until the next token", () => {
    const { limiter } = clocked(3, 60_000);
    expect([1, 2, 3].map(() => limiter.take("7").ok)).toEqual([true, true, true]);
    const refused = limiter.take("7");
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 20 });
  });

  it("keeps keys apart: one key's burst leaves another's untouched", () => {
    const { limiter } = clocked(2);
    limiter.take("7");
    limiter.take("7");
    expect(limiter.take("7").ok).toBe(false);
    expect(limiter.take("8")).toEqual({ ok: true, remaining: 1 });
    expect(limiter.take("8")).toEqual({ ok: true, remaining: 0 });
  });

  it("refills over time, one token per window / burst", () => {
    const { limiter, advance } = clocked(3, 60_000);
    for (let i = 0; i < 3; i++) limiter.take("7");
    advance(19_000);
    expect(limiter.take("7")).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(1_000);
    expect(limiter.take("7").ok).toBe(true);
    expect(limiter.take("7").ok).toBe(false);
  });

  it("refusals do not push the next token further away", () => {
    const { limiter, advance } = clocked(1, 10_000);
    limiter.take("7");
    for (let i = 0; i < 50; i++) limiter.take("7");
    advance(10_000);
    expect(limiter.take("7").ok).toBe(true);
  });

  it("remembers at most maxKeys keys", () => {
    const { limiter } = clocked(1, 60_000, 100);
    for (let i = 0; i < 10_000; i++) limiter.take(String(i));
    expect(limiter.size()).toBe(100);
  });

  it("forgets a key once its bucket would be full again", () => {
    const { limiter, advance } = clocked(2, 60_000);
    limiter.take("7");
    advance(60_001);
    limiter.take("8");
    expect(limiter.size()).toBe(1);
  });
});
