import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';
import { type LoadJob, type Workload, WORKLOADS as LOAD_WORKLOADS } from './load';
import { combine, load, TargetRun } from './measure';
import { printTable, reportRows, Results, TARGET_NAMES, TargetName } from './report';
import {
  cpuSeconds,
  databaseServer,
  databaseUri,
  deployedRuntime,
  freePort,
  peakRssMiB,
  resetPeakRss,
  waitForHttp,
} from './processes';
import { tracingSetting } from './otlp-sink';
import { preloadOrganization, preloadUsers } from './preload';

/**
 * `npm run bench`: the service and a bare-Fastify baseline, side by side on the same database
 * server, each driven by autocannon from its own process. Prints a table and writes
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
/** Both targets run as the service is deployed (npm start's Node flags, the Dockerfile's malloc setting). */
const DEPLOYED = deployedRuntime(ROOT);
/** BENCH_NODE_FLAGS="--max-semi-space-size=8": V8 flags for both targets alike, after the deployed ones. */
const NODE_FLAGS = [...DEPLOYED.nodeFlags, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
/** Users stored before the workloads run (BENCH_USERS), to show that every hot query is indexed. */
const PRELOADED_USERS = Number(process.env.BENCH_USERS ?? 0);
/** Members of the organization the member-page workload reads (BENCH_MEMBERS). */
const BENCH_MEMBERS = Number(process.env.BENCH_MEMBERS ?? 5_000);
/** BENCH_CPU_PROF=<dir>: both targets write V8 CPU profiles there (open them in Chrome DevTools). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
/** Ratio of the baseline's throughput each workload must reach. */
const TARGETS: Partial<Record<Workload, number>> = { 'webhook-created': 0.85, 'webhook-updated': 0.85, 'get-me': 0.8 };
const ALL_WORKLOADS: Workload[] = [...LOAD_WORKLOADS];
/** The workloads that verify a session token: measured against the SDK-based baseline too. */
const SESSION_WORKLOADS: Workload[] = ['get-me', 'get-me-fresh', 'patch-me'];
/** The SDK baseline serves the baseline's database: it runs no webhook workload of its own. */
const dataOf = (name: TargetName): TargetName => (name === 'baseline-sdk' ? 'baseline' : name);
/** The frontend origin the tokens name (their azp), allowed by every target. */
const FRONTEND_ORIGIN = 'http://localhost:5173';
/** BENCH_WORKLOADS=a,b runs a subset (the /me and update workloads use the users webhook-created stored). */
const WORKLOADS = process.env.BENCH_WORKLOADS
  ? ALL_WORKLOADS.filter((w) => process.env.BENCH_WORKLOADS!.split(',').includes(w))
  : ALL_WORKLOADS;

/**
 * baseline: the bare handler verifying tokens with node:crypto (the limit); baseline-sdk: the
 * same handler verifying with @clerk/backend's verifyToken; service: the service as deployed.
 */
interface Target {
  name: TargetName;
  url: string;
  dbUri: string;
  process: ChildProcess;
}

async function storedUserIds(dbUri: string, prefix: string): Promise<string[]> {
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

async function main(): Promise<void> {
  const server = await databaseServer();
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwtKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const runId = randomBytes(3).toString('hex');
  const tracing = await tracingSetting();
  const targets: Target[] = [];
  try {
    for (const name of TARGET_NAMES) {
      const port = await freePort();
      const dbUri = databaseUri(server.uri, `bench_${dataOf(name)}_${runId}`);
      const env = {
        ...DEPLOYED.env,
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: dbUri,
      };
      const nodeArgs = [
        ...NODE_FLAGS,
        ...(CPU_PROF_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=${name}-${runId}.cpuprofile`]
          : []),
      ];
      const child =
        name !== 'service'
          ? spawn(process.execPath, [...nodeArgs, join(__dirname, 'baseline.js')], {
              env: {
                ...env,
                WEBHOOK_SECRET: webhookSecret,
                JWT_KEY: jwtKey,
                AUTHORIZED_PARTIES: FRONTEND_ORIGIN,
                BASELINE_VERIFY: name === 'baseline' ? 'crypto' : 'sdk',
              },
              stdio: 'inherit',
            })
          : spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'src', 'main.js')], {
              cwd: tmpdir(),
              env: {
                ...env,
                NODE_ENV: 'production',
                LOG_LEVEL: 'warn',
                CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
                CLERK_JWT_KEY: jwtKey,
                CLERK_SECRET_KEY: 'sk_test_bench',
                CLERK_AUTHORIZED_PARTIES: FRONTEND_ORIGIN,
                ...tracing.env,
              },
              stdio: ['ignore', 'ignore', 'inherit'],
            });
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/${name === 'service' ? 'health/live' : 'health'}`, child);
      targets.push({ name, url, dbUri, process: child });
    }

    const job = (
      target: Target,
      workload: Workload,
      run: string,
      userIds: string[] = [],
      seconds = DURATION_S,
    ): LoadJob => ({
      url: target.url,
      workload,
      connections: CONNECTIONS,
      durationSeconds: seconds,
      webhookSecret,
      privateKeyPem,
      kid: 'ins_bench',
      userPrefix: `user_${target.name}_${runId}_${run}`,
      userIds,
    });
    // BENCH_USERS users stored beforehand, in both databases: every workload then runs at that scale.
    for (const target of targets.filter(({ name }) => dataOf(name) === name)) {
      await preloadUsers(target.dbUri, `user_${target.name}_${runId}_pre`, PRELOADED_USERS);
      await preloadOrganization(target.dbUri, BENCH_MEMBERS);
    }
    for (const target of targets) await load(job(target, 'webhook-created', 'warmup', [], 2)); // JIT, pools

    const results: Results = {};
    for (const workload of WORKLOADS) {
      const runs: Record<TargetName, TargetRun[]> = { baseline: [], 'baseline-sdk': [], service: [] };
      const measured = targets.filter(
        (target) => target.name !== 'baseline-sdk' || SESSION_WORKLOADS.includes(workload),
      );
      for (const target of measured) resetPeakRss(target.process.pid!);
      for (let round = 0; round < ROUNDS; round++) {
        // Baseline first, then service first, and so on: the drift of a growing database falls on both alike.
        for (const target of round % 2 ? [...measured].reverse() : measured) {
          const userIds =
            workload === 'webhook-created'
              ? []
              : await storedUserIds(target.dbUri, `user_${dataOf(target.name)}_${runId}`);
          process.stderr.write(
            `${workload} → ${target.name}, round ${round + 1} of ${ROUNDS} (${DURATION_S}s, ${CONNECTIONS} connections)\n`,
          );
          const cpuBefore = cpuSeconds(target.process.pid!);
          const result = await load(job(target, workload, `r${round}`, userIds));
          runs[target.name].push({ ...result, cpuSeconds: cpuSeconds(target.process.pid!) - cpuBefore });
          // Requests still in flight when autocannon stopped must not land on the next run.
          await new Promise((settled) => setTimeout(settled, SETTLE_MS));
        }
      }
      const peakRss = (name: Target['name']) =>
        peakRssMiB(targets.find((target) => target.name === name)!.process.pid!);
      results[workload] = {
        baseline: combine(runs.baseline, peakRss('baseline')),
        service: combine(runs.service, peakRss('service')),
        ...(runs['baseline-sdk'].length
          ? { 'baseline-sdk': combine(runs['baseline-sdk'], peakRss('baseline-sdk')) }
          : {}),
      };
    }

    const rows = reportRows(WORKLOADS, results, TARGETS);
    printTable(rows);
    console.log(`Service tracing (BENCH_OTEL): ${tracing.label}`);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model}`,
      database: server.description,
      nodeFlags: NODE_FLAGS,
      env: DEPLOYED.env,
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
    // Waiting for the exits lets --cpu-prof write its profiles before the database goes.
    const exited = (child: ChildProcess) =>
      new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)));
    await Promise.all(targets.map((target) => (target.process.kill('SIGTERM'), exited(target.process))));
    server.stop();
    await tracing.stop();
  }
}

void main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
