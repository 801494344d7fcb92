// Small statistics over benchmark samples: median, min, max.

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export const min = (values) => Math.min(...values);
export const max = (values) => Math.max(...values);

// Summarises the counted (non-warm-up) runs of one engine.
export function summarise(runs) {
  const counted = runs.filter((r) => !r.warmup);
  const walls = counted.map((r) => r.wall_s);
  const rss = counted.map((r) => r.rss_kb);
  return {
    median_s: median(walls),
    min_s: min(walls),
    max_s: max(walls),
    median_rss_mb: median(rss) / 1024,
    peak_rss_mb: max(rss) / 1024,
  };
}
