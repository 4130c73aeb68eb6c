import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadJob, LoadResult } from './load';

export async function load(job: LoadJob): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'load.js'), JSON.stringify(job)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

/** A run as one target served it: its load figures and the CPU the process spent on it. */
export interface TargetRun extends LoadResult {
  cpuSeconds: number;
}

export interface Measured extends LoadResult {
  roundRps: number[];
  peakRssMiB: number;
  /** CPU time (user + system) of the process per answered request, in microseconds. */
  cpuUsPerRequest: number;
}

/** The rounds of one target as one figure: rate over all of them, median p50, worst p99, every error. */
export function combine(rounds: TargetRun[], peakRssMiB: number): Measured {
  const sum = (pick: (r: TargetRun) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
  const statusCodes: Record<string, number> = {};
  for (const r of rounds)
    for (const [code, count] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    requests: sum((r) => r.requests),
    rps: sum((r) => r.rps) / rounds.length,
    roundRps: rounds.map((r) => r.rps),
    p50: p50s[Math.floor((p50s.length - 1) / 2)],
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: sum((r) => r.errors),
    statusCodes,
    peakRssMiB,
    cpuUsPerRequest: Math.round(
      (sum((r) => r.cpuSeconds) * 1e6) /
        Math.max(
          1,
          sum((r) => r.requests),
        ),
    ),
  };
}
