import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadJob, type Workload, WORKLOADS } from './load';
import { measuredRun, storedUserIds, TargetRun } from './measure';
import { databaseServer, databaseUri, peakRssMiB, resetPeakRss } from './processes';
import { startService, stopAll, Target } from './targets';

/**
 * `npm run bench:compare -- <A> <B>`: two builds of the service, each a git ref or a folder
 * holding a checkout, built into a temporary folder (with this checkout's node_modules), then
 * run side by side on one database server, both pinned to the same CPU (the database and the
 * load generator on the other), and driven in alternating order, round after round: A then B,
 * B then A, ... For each round: each build's throughput and CPU µs per request, and B's as a
 * ratio of A's. Only these paired figures mean anything on a shared machine.
 */
const ROOT = resolve(__dirname, '..', '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** BENCH_RATE=700: a fixed load (requests a second), to compare CPU per request at equal work. */
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const DEFAULT_WORKLOADS: Workload[] = ['webhook-created', 'webhook-updated', 'webhook-duplicate', 'get-me'];
const SELECTED = process.env.BENCH_WORKLOADS?.split(',') ?? DEFAULT_WORKLOADS;
const CHOSEN: Workload[] = WORKLOADS.filter((workload) => SELECTED.includes(workload));
/** The CPU both builds run on, and the one the rest (this harness, the database, autocannon) keeps. */
const SERVICE_CPU = process.env.BENCH_SERVICE_CPU ?? '0';
const OTHER_CPU = process.env.BENCH_OTHER_CPU ?? '1';
const SETTLE_MS = 1_000;

/** A git ref or a folder, built into a temporary folder; returns that folder. */
function buildInto(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    for (const entry of ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      if (existsSync(join(spec, entry))) cpSync(join(spec, entry), join(dir, entry), { recursive: true });
  } else {
    execSync(`git -C '${ROOT}' archive --format=tar '${spec}' | tar -x -C '${dir}'`, { stdio: 'inherit' });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'junction');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`${spec}: the build failed`);
  return dir;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const usPerRequest = (run: TargetRun) => Math.round((run.cpuSeconds * 1e6) / Math.max(1, run.requests));

async function main(): Promise<void> {
  const [specA, specB] = process.argv.slice(2);
  if (!specA || !specB) throw new Error('Usage: npm run bench:compare -- <git-ref-or-folder-A> <git-ref-or-folder-B>');
  // This process (and so the database and autocannon it starts) on the other CPU.
  execFileSync('taskset', ['-pc', OTHER_CPU, String(process.pid)], { stdio: 'ignore' });
  const dirs = [buildInto(specA), buildInto(specB)];
  const server = await databaseServer();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secrets = {
    webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    jwtKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    frontendOrigin: 'http://localhost:5173',
  };
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const runId = randomBytes(3).toString('hex');
  const targets: Target[] = [];
  try {
    for (const [i, root] of dirs.entries()) {
      const name = i === 0 ? 'A' : 'B';
      const dbUri = databaseUri(server.uri, `compare_${name}_${runId}`);
      targets.push(await startService({ name, root, dbUri, secrets, cpus: SERVICE_CPU }));
    }
    const settings = { connections: CONNECTIONS, webhookSecret: secrets.webhookSecret, privateKeyPem, rate: RATE };
    const job = (target: Target, workload: Workload, run: string, userIds: string[], seconds: number) =>
      loadJob(settings, target.url, workload, `user_${target.name}_${runId}_${run}`, userIds, seconds);
    for (const target of targets)
      await measuredRun(target.process.pid!, job(target, 'webhook-created', 'warmup', [], 3));
    console.log(`A = ${specA}, B = ${specB}; ${RATE ? `${RATE} req/s` : 'full speed'}, ${DURATION_S}s rounds`);
    for (const workload of CHOSEN) {
      const runs: Record<string, TargetRun[]> = { A: [], B: [] };
      for (const target of targets) resetPeakRss(target.process.pid!);
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of round % 2 ? [...targets].reverse() : targets) {
          const users =
            workload === 'webhook-created' ? [] : await storedUserIds(target.dbUri, `user_${target.name}_${runId}`);
          runs[target.name].push(
            await measuredRun(target.process.pid!, job(target, workload, `r${round}`, users, DURATION_S)),
          );
          await new Promise((settled) => setTimeout(settled, SETTLE_MS));
        }
        const [a, b] = [runs.A[round], runs.B[round]];
        console.log(
          `${workload} round ${round + 1}: A ${Math.round(a.rps)} req/s ${usPerRequest(a)} µs/req, ` +
            `B ${Math.round(b.rps)} req/s ${usPerRequest(b)} µs/req; B/A throughput ${(b.rps / a.rps).toFixed(2)}, ` +
            `CPU ${(usPerRequest(b) / usPerRequest(a)).toFixed(2)}; errors A ${a.errors} B ${b.errors}`,
        );
      }
      const ratios = runs.A.map((a, i) => runs.B[i].rps / a.rps);
      const cpu = runs.A.map((a, i) => usPerRequest(runs.B[i]) / usPerRequest(a));
      console.log(
        `${workload}: B/A throughput median ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-` +
          `${Math.max(...ratios).toFixed(2)}); CPU µs/req A ${median(runs.A.map(usPerRequest))} B ` +
          `${median(runs.B.map(usPerRequest))}, B/A median ${median(cpu).toFixed(2)}, B cheaper in ` +
          `${cpu.filter((x) => x < 1).length} of ${ROUNDS}; peak RSS MiB A ${peakRssMiB(targets[0].process.pid!)} ` +
          `B ${peakRssMiB(targets[1].process.pid!)}`,
      );
    }
  } finally {
    await stopAll(targets);
    server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
