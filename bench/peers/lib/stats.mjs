// Small statistics over benchmark samples: median, min, max.

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export const min = (values) => Math.min(...values);
export const max = (values) => Math.max(...values);

// Summarises the counted (non-warm-up, successful) runs of one engine; median_cpu_s when the
// runs measured CPU time.
export function summarise(runs) {
  const counted = runs.filter((r) => !r.warmup && !r.error);
  const walls = counted.map((r) => r.wall_s);
  const rss = counted.map((r) => r.rss_kb);
  const summary = {
    median_s: median(walls),
    min_s: min(walls),
    max_s: max(walls),
    median_rss_mb: median(rss) / 1024,
    peak_rss_mb: max(rss) / 1024,
  };
  if (counted.length && counted.every((r) => r.cpu_s != null)) summary.median_cpu_s = median(counted.map((r) => r.cpu_s));
  return summary;
}
