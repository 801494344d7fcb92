// Runs one benchmark child process under /usr/bin/time -f '%e %M' and returns its wall time
// (seconds) and peak resident set size (KiB), as the kernel accounts them for that process tree's
// main process. Children run one at a time; their stdout/stderr are kept for error messages only.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TIME_BIN = '/usr/bin/time';

export function assertTimeInstalled() {
  if (!fs.existsSync(TIME_BIN)) {
    throw new Error(`${TIME_BIN} is missing: run scripts/setup (Debian package "time")`);
  }
}

// Parses the "%e %M" line /usr/bin/time writes to its -o file.
function parseTimeOutput(text) {
  const line = text.trim().split('\n').pop() ?? '';
  const [wall, rss] = line.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(rss)) throw new Error(`cannot parse /usr/bin/time output: ${JSON.stringify(text)}`);
  return { wall_s: wall, rss_kb: rss };
}

// Runs argv[0] with argv[1..] and resolves to { wall_s, rss_kb, code, stderr }.
// Rejects if the child fails or runs longer than timeoutMs.
export function measure(argv, { timeoutMs = 30 * 60 * 1000, cwd } = {}) {
  const timeFile = path.join(os.tmpdir(), `sluice-bench-time-${process.pid}-${Date.now()}.txt`);
  const args = ['-f', '%e %M', '-o', timeFile, '--', ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(TIME_BIN, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const err = [];
    child.stdout.resume();
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString();
      let timing = null;
      try { timing = parseTimeOutput(fs.readFileSync(timeFile, 'utf8')); } catch { /* reported below */ }
      fs.rmSync(timeFile, { force: true });
      if (code !== 0 || !timing) {
        const why = signal ? `killed by ${signal}` : `exit ${code}`;
        reject(new Error(`${argv.join(' ')}: ${why}\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ ...timing, code, stderr });
    });
  });
}
