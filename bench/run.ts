import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { memoryLimit, MemoryCgroup, type LimitedMemory } from './cgroup';
import { loadJob, type Workload, WORKLOADS as LOAD_WORKLOADS } from './load';
import { combine, measuredRun, storedUserIds, TargetRun } from './measure';
import { printTable, reportRows, Results, TARGET_NAMES, TargetName } from './report';
import { databaseServer, databaseUri, peakRssMiB, resetPeakRss } from './processes';
import { tracingSetting } from './otlp-sink';
import { preloadOrganization, preloadUsers } from './preload';
import { DEPLOYED_ENV, startBaseline, startFlags, startService, stopAll, Target } from './targets';

/**
 * `npm run bench`: the service and a bare-Fastify baseline, side by side on the same database
 * server, each driven by autocannon from its own process; and the same service again inside a
 * 256 MiB memory limit (BENCH_LIMIT_MIB), started the same way. Prints a table and writes
 * bench/results.json. MONGODB_URI chooses the server; unset, the SecantusDB that .ci/run builds.
 */
const ROOT = resolve(__dirname, '..', '..');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
/** Pause after each run, so that the database has finished the previous run's requests. */
const SETTLE_MS = 2_000;
/** Measured runs of each workload on each target, in alternating order. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** Where the figures go (relative to the repository): BENCH_RESULTS, default bench/results.json. */
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results.json';
/** BENCH_NODE_FLAGS="--max-semi-space-size=8": V8 flags for every target alike, after npm start's. */
const EXTRA_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** The memory limit of the constrained run (BENCH_LIMIT_MIB, 0 for none). */
const LIMIT_MIB = Number(process.env.BENCH_LIMIT_MIB ?? 256);
/** Users stored before the workloads run (BENCH_USERS), to show that every hot query is indexed. */
const PRELOADED_USERS = Number(process.env.BENCH_USERS ?? 0);
/** Members of the organization the member-page workload reads (BENCH_MEMBERS). */
const BENCH_MEMBERS = Number(process.env.BENCH_MEMBERS ?? 5_000);
/** BENCH_CPU_PROF=<dir>: the targets write V8 CPU profiles there (open them in Chrome DevTools). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
/** Ratio of the baseline's throughput each workload must reach. */
const TARGETS: Partial<Record<Workload, number>> = {
  'webhook-created': 0.9,
  'webhook-updated': 0.9,
  'webhook-duplicate': 0.8,
  'get-me': 0.8,
};
const ALL_WORKLOADS: Workload[] = [...LOAD_WORKLOADS];
/** The workloads that verify a session token: measured against the SDK-based baseline too. */
const SESSION_WORKLOADS: Workload[] = ['get-me', 'get-me-fresh', 'patch-me'];
/** The SDK baseline serves the baseline's database: it runs no webhook workload of its own. */
const dataOf = (name: TargetName): TargetName => (name === 'baseline-sdk' ? 'baseline' : name);
/** A target's name as it appears in Clerk-shaped user ids (letters, digits and underscores only). */
const idOf = (name: string) => name.replace(/[^A-Za-z0-9]/g, '');
/** The frontend origin the tokens name (their azp), allowed by every target. */
const FRONTEND_ORIGIN = 'http://localhost:5173';
/** BENCH_WORKLOADS=a,b runs a subset (the /me and update workloads use the users webhook-created stored). */
const WORKLOADS = process.env.BENCH_WORKLOADS
  ? ALL_WORKLOADS.filter((w) => process.env.BENCH_WORKLOADS!.split(',').includes(w))
  : ALL_WORKLOADS;

async function main(): Promise<void> {
  const server = await databaseServer();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const secrets = {
    webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    jwtKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    frontendOrigin: FRONTEND_ORIGIN,
  };
  const runId = randomBytes(3).toString('hex');
  const tracing = await tracingSetting();
  const limit = LIMIT_MIB > 0 ? memoryLimit(`bench-${runId}`, LIMIT_MIB) : 'BENCH_LIMIT_MIB=0';
  if (typeof limit === 'string') process.stderr.write(`Skipping the run in a memory limit: ${limit}\n`);
  const names = TARGET_NAMES.filter((name) => name !== 'service-limited' || limit instanceof MemoryCgroup);
  const targets: Target[] = [];
  try {
    for (const name of names) {
      const options = {
        name: `${name}-${runId}`,
        root: ROOT,
        dbUri: databaseUri(server.uri, `bench_${dataOf(name)}_${runId}`),
        secrets,
        cpuProfDir: CPU_PROF_DIR,
        extraFlags: EXTRA_FLAGS,
        cgroup: name === 'service-limited' ? (limit as MemoryCgroup) : undefined,
        env: name.startsWith('service') ? tracing.env : {},
      };
      const target = name.startsWith('service')
        ? await startService(options)
        : await startBaseline({ ...options, verify: name === 'baseline' ? 'crypto' : 'sdk' });
      targets.push({ ...target, name });
    }

    const settings = { connections: CONNECTIONS, webhookSecret: secrets.webhookSecret, privateKeyPem };
    const job = (target: Target, workload: Workload, run: string, userIds: string[] = [], seconds = DURATION_S) =>
      loadJob(settings, target.url, workload, `user_${idOf(target.name)}_${runId}_${run}`, userIds, seconds);
    // BENCH_USERS users stored beforehand, in every database: every workload then runs at that scale.
    for (const target of targets.filter(({ name }) => dataOf(name as TargetName) === name)) {
      await preloadUsers(target.dbUri, `user_${idOf(target.name)}_${runId}_pre`, PRELOADED_USERS);
      await preloadOrganization(target.dbUri, BENCH_MEMBERS);
    }
    for (const target of targets)
      await measuredRun(target.process.pid!, job(target, 'webhook-created', 'warmup', [], 2)); // JIT, pools

    const results: Results = {};
    const limited: Partial<Record<Workload, LimitedMemory>> = {};
    for (const workload of WORKLOADS) {
      const runs: Partial<Record<TargetName, TargetRun[]>> = {};
      const measured = targets.filter(
        (target) => target.name !== 'baseline-sdk' || SESSION_WORKLOADS.includes(workload),
      );
      for (const target of measured) resetPeakRss(target.process.pid!);
      for (const target of measured) target.cgroup?.reset();
      for (let round = 0; round < ROUNDS; round++) {
        // Baseline first, then service first, and so on: the drift of a growing database falls on all alike.
        for (const target of round % 2 ? [...measured].reverse() : measured) {
          const name = target.name as TargetName;
          const userIds =
            workload === 'webhook-created'
              ? []
              : await storedUserIds(target.dbUri, `user_${idOf(dataOf(name))}_${runId}`);
          process.stderr.write(
            `${workload} → ${name}, round ${round + 1} of ${ROUNDS} (${DURATION_S}s, ${CONNECTIONS} connections)\n`,
          );
          (runs[name] ??= []).push(await measuredRun(target.process.pid!, job(target, workload, `r${round}`, userIds)));
          // Requests still in flight when autocannon stopped must not land on the next run.
          await new Promise((settled) => setTimeout(settled, SETTLE_MS));
        }
      }
      const cgroup = targets.find((target) => target.cgroup)?.cgroup;
      if (cgroup) limited[workload] = cgroup.read();
      results[workload] = Object.fromEntries(
        measured.map((target) => [
          target.name,
          combine(runs[target.name as TargetName]!, peakRssMiB(target.process.pid!)),
        ]),
      ) as Results[Workload];
    }

    const rows = reportRows(WORKLOADS, results, TARGETS, limited);
    printTable(rows);
    console.log(`Service tracing (BENCH_OTEL): ${tracing.label}`);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model}`,
      database: server.description,
      nodeFlags: [...startFlags(ROOT), ...EXTRA_FLAGS],
      env: DEPLOYED_ENV,
      memoryLimitMiB: typeof limit === 'string' ? null : LIMIT_MIB,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      preloadedUsers: PRELOADED_USERS,
      tracing: tracing.label,
      results: rows,
    };
    writeFileSync(resolve(ROOT, RESULTS), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Written: ${RESULTS}`);
  } finally {
    await stopAll(targets);
    if (limit instanceof MemoryCgroup) limit.remove();
    server.stop();
    await tracing.stop();
  }
}

void main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
