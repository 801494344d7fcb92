// Reproducibility (DESIGN.md, issue 3): the same query over the same input gives byte-identical
// Parquet output at any thread count. Generates the events dataset with small row groups (so that
// many morsels race), then runs the seed pipeline, a one-group-per-user aggregation and a join +
// group-by through determinism_runner at --threads 1, 2, 3 and 8, twice each, and compares the
// files' SHA-256. None of the queries sorts: the order is the engine's own.
// Usage: node determinism.mjs SLUICE_BIN WORK_DIR   (env SLUICE_DETERMINISM_RUNNER)
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { check, finish } from '../lib/check.mjs';

const [sluice, work] = process.argv.slice(2);
const runner = process.env.SLUICE_DETERMINISM_RUNNER;
if (!sluice || !runner) {
  console.error('usage: SLUICE_DETERMINISM_RUNNER=... node determinism.mjs SLUICE_BIN WORK_DIR');
  process.exit(2);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const data = path.join(work, 'data');
const made = spawnSync(sluice, ['--quiet', 'generate', data, '--rows', '600000', '--files', '4',
  '--row-group-size', '20000'], { encoding: 'utf8' });
check('generate writes the dataset', made.status === 0, made.stderr);

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

for (const query of ['seed', 'per_user', 'join']) {
  const digests = new Map();  // digest -> runs that produced it
  for (const threads of [1, 2, 3, 8]) {
    for (const round of [1, 2]) {
      const out = path.join(work, `${query}-t${threads}-r${round}.parquet`);
      const run = spawnSync(runner, [query, data, out, String(threads)], { encoding: 'utf8' });
      if (!check(`${query} runs at --threads ${threads} (run ${round})`, run.status === 0, run.stderr)) continue;
      const digest = sha256(out);
      digests.set(digest, [...(digests.get(digest) ?? []), `t${threads}/r${round}`]);
    }
  }
  const detail = [...digests].map(([d, runs]) => `${d.slice(0, 16)}: ${runs.join(' ')}`).join('\n');
  check(`${query}: one output at every thread count, byte for byte`, digests.size === 1, detail);
  // The answer must be worth comparing: more than a handful of rows.
  const rows = spawnSync(sluice, ['schema', path.join(work, `${query}-t1-r1.parquet`)], { encoding: 'utf8' });
  const count = Number((rows.stdout.match(/: (\d+) rows/) ?? [])[1]);
  check(`${query}: the output has rows (${count})`, count > (query === 'per_user' ? 1000 : 20), rows.stdout + rows.stderr);
}
finish();
