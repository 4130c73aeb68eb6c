import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';
import type { LoadJob, LoadResult } from './load';
import { cpuSeconds } from './processes';

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

/** Up to 1,000 users a target's database holds under this prefix (the update and /me workloads' users). */
export async function storedUserIds(dbUri: string, prefix: string): Promise<string[]> {
  const client = await MongoClient.connect(dbUri, MONGO_DRIVER_OPTIONS);
  try {
    const docs = await client
      .db()
      .collection('users')
      .find({ _id: { $regex: `^${prefix}_` } as never }, { projection: { _id: 1 } })
      .limit(1000)
      .toArray();
    return docs.map((doc) => String(doc._id));
  } finally {
    await client.close();
  }
}

/** One run of the job against a process, with the CPU time the process spent on it. */
export async function measuredRun(pid: number, job: LoadJob): Promise<TargetRun> {
  const cpuBefore = cpuSeconds(pid);
  const result = await load(job);
  return { ...result, cpuSeconds: cpuSeconds(pid) - cpuBefore };
}
