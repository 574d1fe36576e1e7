// Preloaded into a server the benchmark starts (`node --import bench/loop-probe.mjs …`). Watches
// the event loop's delay with perf_hooks.monitorEventLoopDelay (default resolution, 10 ms: a value
// is the time between two ticks of a 10 ms timer, so an idle loop reads about 10). On a busy shared
// machine part of a delay is the process waiting for a core; so, on Linux, it also records the
// main thread's own CPU time between the ticks of a 10 ms timer (/proc/thread-self/schedstat):
// the part of the delay that is the process's own work. On SIGUSR2 it writes what it saw since the
// last signal to $CASTCARD_LOOP_PROBE_DIR/<pid>.json and starts over. Benchmark only.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHistogram, monitorEventLoopDelay } from "node:perf_hooks";

const dir = process.env.CASTCARD_LOOP_PROBE_DIR;
if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const own = createHistogram();
  const schedstat = "/proc/thread-self/schedstat";
  const cpuNs = existsSync(schedstat) ? () => Number(readFileSync(schedstat, "utf8").split(" ")[0]) : null;
  if (cpuNs) {
    let last = cpuNs();
    setInterval(() => {
      const now = cpuNs();
      own.record(Math.max(1, now - last));
      last = now;
    }, 10).unref();
  }
  let seq = 0;
  process.on("SIGUSR2", () => {
    const ms = (ns) => ns / 1e6;
    const figures = {
      seq: ++seq,
      p50: ms(delay.percentile(50)),
      p99: ms(delay.percentile(99)),
      max: ms(delay.max),
      own: cpuNs ? { p50: ms(own.percentile(50)), p99: ms(own.percentile(99)), max: ms(own.max) } : null,
    };
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(figures));
    delay.reset();
    own.reset();
  });
}
