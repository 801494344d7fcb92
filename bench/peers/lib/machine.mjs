// Facts about the machine and the software a benchmark ran with, recorded next to its results so
// that numbers from different runs can be compared (or not) honestly.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const readText = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch { return ''; } };

function run(cmd, args, opts = {}) {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...opts }).trim(); } catch { return null; }
}

function cpuModel() {
  const line = readText('/proc/cpuinfo').split('\n').find((l) => l.startsWith('model name'));
  return line ? line.split(':').slice(1).join(':').trim() : os.cpus()[0]?.model ?? 'unknown';
}

function osName() {
  const m = readText('/etc/os-release').match(/^PRETTY_NAME="?([^"\n]*)"?/m);
  return m ? m[1] : `${os.type()} ${os.release()}`;
}

// Load averages (1, 5, 15 min), rounded: taken before and after the runs.
export const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function machineFacts() {
  return {
    host_cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpu_model: cpuModel(),
    ram_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    kernel: os.release(),
  };
}

const packageVersion = (repo, name) => {
  try { return JSON.parse(readText(path.join(repo, 'node_modules', name, 'package.json'))).version; } catch { return null; }
};

// Versions of every engine and of the tools around them. duckdbVersion comes from `SELECT version()`.
export function softwareVersions({ repo, sluiceBin, duckdbVersion }) {
  const commit = run('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=no']);
  return {
    sluice: (run(sluiceBin, ['--version']) ?? 'unknown').replace(/^sluice\s+/, ''),
    sluice_commit: commit ? `${commit}${dirty ? ' (uncommitted changes)' : ''}` : null,
    duckdb: duckdbVersion,
    duckdb_node_api: packageVersion(repo, '@duckdb/node-api'),
    polars: packageVersion(repo, 'nodejs-polars'),
    node: process.version,
    gnuplot: run('gnuplot', ['--version']),
  };
}
