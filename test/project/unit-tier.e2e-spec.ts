import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The unit specs beside the code run alone: no database, no database variable, no global setup.
 * mongodb-memory-server is pointed at a binary that does not exist, so a global setup that tried
 * to start a database would fail the run rather than quietly download one.
 */
const root = resolve(__dirname, '../..');
const jestBin = join(root, 'node_modules/.bin/jest');
const { TEST_MONGODB_URI: _test, MONGODB_URI: _uri, ...inherited } = process.env;
const env = { ...inherited, MONGOMS_SYSTEM_BINARY: '/nonexistent/mongod', MONGOMS_DOWNLOAD_URL: 'http://127.0.0.1:9/' };

const specsUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.spec.ts'))
    .map((file) => join(root, dir, file));

it('npm run test:unit selects every spec under src/ and no e2e spec', () => {
  const listed = execFileSync('npm', ['run', '-s', 'test:unit', '--', '--listTests'], {
    cwd: root,
    env,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter((line) => line.endsWith('.ts'))
    .sort();
  expect(listed).toEqual(specsUnder('src').sort());
});

it('one unit spec runs with no database variable', () => {
  const run = spawnSync(jestBin, ['src/sync/sync.rule.spec.ts'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).not.toMatch(/globalSetup|TEST_MONGODB_URI/);
  expect(run.stderr).toMatch(/Tests:\s+\d+ passed/);
  expect(run.status).toBe(0);
});
