// Runs one engine of the larger-than-memory benchmark (bench/run --spill) in its own process under
// `/usr/bin/time -v`, watched: every ~200 ms a sampler reads the resident memory of the process
// and its descendants (/proc/PID/statm) and the size on disk of the engine's temp folder (the
// blocks its files hold, as du counts them). The process group is killed when the memory passes a
// safety cap (so that an engine without a limit cannot push the machine into swap or the OOM
// killer) or the wall time passes a timeout; the run is then recorded as "killed: RSS above X" or
// "timed out". Peak RSS is /usr/bin/time's "Maximum resident set size" (the kernel's high-water
// mark) when the process ran to its end, else the highest sample; peak temp bytes is the highest
// sample of the temp folder (what the engine held on disk at once, not all it wrote).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TIME_BIN = '/usr/bin/time';
const PAGE = 4096;

const readText = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch { return null; } };

// The pids of a process's children: from /proc/PID/task/*/children where the kernel has it
// (CONFIG_PROC_CHILDREN), else by scanning every process's parent.
function childrenOf(pid) {
  const tasks = (() => { try { return fs.readdirSync(`/proc/${pid}/task`); } catch { return []; } })();
  const viaTasks = tasks.map((t) => readText(`/proc/${pid}/task/${t}/children`));
  if (viaTasks.length && viaTasks.every((t) => t !== null)) return viaTasks.join(' ').split(/\s+/).filter(Boolean).map(Number);
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = readText(`/proc/${d}/stat`);
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
    if (stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
  }
  return out;
}

// Resident bytes of the process tree under `root` (root itself excluded: it is /usr/bin/time).
export function treeRssBytes(root) {
  let total = 0;
  const stack = childrenOf(root);
  while (stack.length) {
    const pid = stack.pop();
    const statm = readText(`/proc/${pid}/statm`);
    if (statm) total += Number(statm.split(' ')[1]) * PAGE;
    stack.push(...childrenOf(pid));
  }
  return total;
}

// Bytes on disk under a folder (allocated blocks, as du counts them); files may vanish meanwhile.
export function folderBytes(dir) {
  let total = 0;
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return 0; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else {
      try { total += fs.lstatSync(p).blocks * 512; } catch { /* removed while we looked */ }
    }
  }
  return total;
}

// Parses the report of `/usr/bin/time -v`.
export function parseTimeVerbose(text) {
  const field = (label) => {
    const line = text.split('\n').find((l) => l.trim().startsWith(label));
    // The value follows the last ': ' ("Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.03").
    return line ? line.slice(line.lastIndexOf(': ') + 2).trim() : null;
  };
  const clock = field('Elapsed (wall clock) time');
  const rss = field('Maximum resident set size');
  const user = field('User time'), sys = field('System time');
  if (clock == null || rss == null || user == null || sys == null) return null;
  // h:mm:ss or m:ss(.cc)
  const wall = clock.split(':').reduce((s, part) => s * 60 + Number(part), 0);
  const exit = field('Exit status');
  return { wall_s: wall, rss_kb: Number(rss), cpu_s: Math.round((Number(user) + Number(sys)) * 100) / 100, exit: exit == null ? null : Number(exit) };
}

const fmtGB = (bytes) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(bytes % 1e9 ? 1 : 0)} GB` : `${Math.round(bytes / 1e6)} MB`);

// The running child's process group (it has its own, so that the watchdog can kill it whole):
// killed too if the runner itself is stopped, which a terminal's Ctrl-C no longer reaches.
let current = null;
let handlersInstalled = false;
function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      if (current) try { process.kill(-current, 'SIGKILL'); } catch { /* already gone */ }
      process.exit(130);
    });
  }
}

// Runs argv watched. Resolves (never rejects) to { finished, status: 'finished' | 'error' |
// 'killed' | 'timed out', error, wall_s, rss_kb, cpu_s, peak_temp_bytes, sampled_rss_kb,
// stdout, stderr }.
export function runWatched(argv, { env = process.env, cwd, tempDir, rssCapBytes, timeoutMs = 30 * 60 * 1000, sampleMs = 200 } = {}) {
  const timeFile = path.join(os.tmpdir(), `sluice-spill-time-${process.pid}-${Date.now()}.txt`);
  installSignalHandlers();
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(TIME_BIN, ['-v', '-o', timeFile, '--', ...argv], { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child.pid;
    const out = [], err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let peakRss = 0, peakTemp = 0, killed = null;
    const kill = (why) => {
      if (killed) return;
      killed = why;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    };
    const sample = () => {
      const rss = treeRssBytes(child.pid);
      peakRss = Math.max(peakRss, rss);
      if (tempDir) peakTemp = Math.max(peakTemp, folderBytes(tempDir));
      if (rssCapBytes && rss > rssCapBytes) kill(`killed: RSS above ${fmtGB(rssCapBytes)}`);
      else if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) kill(`timed out after ${timeoutMs >= 60000 ? `${Math.round(timeoutMs / 60000)} min` : `${Math.round(timeoutMs / 1000)} s`}`);
    };
    const timer = setInterval(sample, sampleMs);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      current = null;
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (tempDir) peakTemp = Math.max(peakTemp, folderBytes(tempDir));
      const timing = parseTimeVerbose(readText(timeFile) ?? '');
      fs.rmSync(timeFile, { force: true });
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      const base = { peak_temp_bytes: peakTemp, sampled_rss_kb: Math.round(peakRss / 1024), stdout: stdout.trim().split('\n').pop() ?? '', stderr };
      if (killed) {
        resolve({ ...base, finished: false, status: killed.startsWith('timed') ? 'timed out' : 'killed', error: killed,
          wall_s: wall, rss_kb: Math.round(peakRss / 1024), cpu_s: null });
        return;
      }
      const exit = timing?.exit ?? code;
      if (exit !== 0 || !timing) {
        const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Command exited with non-zero status') && !l.startsWith('Command terminated by signal'));
        const why = signal ? `killed by ${signal}` : timing ? `exit ${exit}` : `exit ${code}`;
        // The engine's own message: its first line that starts like an error, else the first that
        // mentions one, else its last line.
        const message = lines.find((l) => /^(\w*(Error|Exception)\b|error\b|sluice: )/i.test(l)) ??
          lines.find((l) => /error|exception|out of memory|panicked/i.test(l)) ?? lines[lines.length - 1] ?? why;
        resolve({ ...base, finished: false, status: 'error', error: `${message}${message === why ? '' : ` (${why})`}`,
          wall_s: timing?.wall_s ?? wall, rss_kb: timing?.rss_kb ?? Math.round(peakRss / 1024), cpu_s: timing?.cpu_s ?? null });
        return;
      }
      resolve({ ...base, finished: true, status: 'finished', error: null, wall_s: timing.wall_s, rss_kb: timing.rss_kb, cpu_s: timing.cpu_s });
    });
    child.on('error', (e) => {
      clearInterval(timer);
      current = null;
      resolve({ finished: false, status: 'error', error: e.message, wall_s: 0, rss_kb: 0, cpu_s: null, peak_temp_bytes: 0, sampled_rss_kb: 0, stdout: '', stderr: '' });
    });
  });
}
