// Runs several engines on one workload, each run in its own process: warm-ups first, then the
// counted runs, alternating engines and rotating their order every round so that no engine always
// runs right after another (cache, thermal and neighbour-load effects spread evenly).
//
// An engine is { name, argv: [...], prepare?() } — prepare runs untimed before every run (e.g. to
// delete the previous output). Results: { [name]: [{ round, warmup, wall_s, rss_kb, cpu_s }] }.
// With continueOnError, a failing run is recorded as { round, warmup, error } and that engine
// sits out the remaining rounds, so that one broken engine does not stop a whole suite.

import { measure } from './measure.mjs';
import { median } from './stats.mjs';

const rotate = (list, k) => list.map((_, i) => list[(i + k) % list.length]);

export async function runAlternating(engines, { warmups = 1, runs = 3, log = () => {}, continueOnError = false } = {}) {
  const results = Object.fromEntries(engines.map((e) => [e.name, []]));
  const failed = new Set();
  for (let round = 0; round < warmups + runs; round++) {
    const warmup = round < warmups;
    const label = warmup ? `warm-up ${round + 1}/${warmups}` : `run ${round - warmups + 1}/${runs}`;
    for (const engine of rotate(engines, round)) {
      if (failed.has(engine.name)) continue;
      engine.prepare?.();
      let sample;
      try {
        sample = await measure(engine.argv);
      } catch (e) {
        if (!continueOnError) throw e;
        failed.add(engine.name);
        results[engine.name].push({ round, warmup, error: e.message });
        log(`${label.padEnd(12)} ${engine.name.padEnd(8)} FAILED: ${e.message.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`);
        continue;
      }
      const { wall_s, rss_kb, cpu_s } = sample;
      results[engine.name].push({ round, warmup, wall_s, rss_kb, cpu_s });
      log(`${label.padEnd(12)} ${engine.name.padEnd(8)} ${wall_s.toFixed(2).padStart(7)} s ${(rss_kb / 1024).toFixed(0).padStart(6)} MB` +
        `${sample.stdout ? `   ${sample.stdout}` : ''}`);
    }
  }
  return results;
}

// Measures a command that only starts an engine (e.g. node loading a library) `times` times and
// returns the medians: the fixed start-up cost included in that engine's numbers.
export async function measureBaseline(argv, times = 3) {
  const samples = [];
  for (let i = 0; i < times; i++) samples.push(await measure(argv));
  return { wall_s: median(samples.map((s) => s.wall_s)), rss_kb: median(samples.map((s) => s.rss_kb)) };
}

// The start-up baselines of the engines that have one (`baselineArgv`), by engine name; a failed
// measurement is logged and left out.
export async function measureBaselines(engines, log) {
  const out = {};
  for (const e of engines.filter((x) => x.baselineArgv)) {
    try {
      out[e.name] = await measureBaseline(e.baselineArgv);
    } catch (err) {
      log(`note: ${e.name}'s start-up baseline failed: ${err.message.split('\n')[0]}`);
    }
  }
  return out;
}

// YYYY-MM-DD in local time, for result file names.
export function localDate(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
