// Runs one benchmark child process under /usr/bin/time -f '%e %M %U %S' and returns its wall time
// (seconds), peak resident set size (KiB, the largest of the process and its waited-for
// children, as the kernel's getrusage accounts it) and CPU time (user + system seconds). Children
// run one at a time; their stderr is kept for error messages and the last line of their stdout
// (the answer's summary the benchmark scripts print) for the log.

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

// Parses the "%e %M %U %S" line /usr/bin/time writes to its -o file.
function parseTimeOutput(text) {
  const line = text.trim().split('\n').pop() ?? '';
  const [wall, rss, user, sys] = line.trim().split(/\s+/).map(Number);
  if (![wall, rss, user, sys].every(Number.isFinite)) throw new Error(`cannot parse /usr/bin/time output: ${JSON.stringify(text)}`);
  return { wall_s: wall, rss_kb: rss, cpu_s: Math.round((user + sys) * 100) / 100 };
}

// Runs argv[0] with argv[1..] and resolves to { wall_s, rss_kb, cpu_s, code, stdout, stderr }.
// Rejects if the child fails or runs longer than timeoutMs.
export function measure(argv, { timeoutMs = 30 * 60 * 1000, cwd } = {}) {
  const timeFile = path.join(os.tmpdir(), `sluice-bench-time-${process.pid}-${Date.now()}.txt`);
  const args = ['-f', '%e %M %U %S', '-o', timeFile, '--', ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(TIME_BIN, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    child.stdout.on('data', (d) => out.push(d));
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
      const stdout = Buffer.concat(out).toString().trim().split('\n').pop() ?? '';
      resolve({ ...timing, code, stdout, stderr });
    });
  });
}
