import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { DOCKER_COMPOSE, findOutsideTool } from '../support/outside-tools';

/** The compose file and the tunnel configuration, checked by docker-compose itself (no engine needed). */
const root = resolve(__dirname, '..', '..');
// An empty env file: the developer's .env must not decide whether the file is valid.
const emptyEnvFile = resolve(mkdtempSync(resolve(tmpdir(), 'compose-')), 'empty.env');
writeFileSync(emptyEnvFile, '');
const dockerComposePath = findOutsideTool(DOCKER_COMPOSE, 'test/compose.e2e-spec.ts');

function compose(...args: string[]): string {
  return composeWith({}, ...args);
}

/** docker-compose with these variables as the only environment (besides PATH). */
function composeWith(env: Record<string, string>, ...args: string[]): string {
  return execFileSync(dockerComposePath!, ['--project-directory', root, '--env-file', emptyEnvFile, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const describeWithDockerCompose = dockerComposePath ? describe : describe.skip;

it("the Dockerfile runs the service with npm start's Node flags", () => {
  const { scripts } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(resolve(root, 'Dockerfile'), 'utf8'))![1];
  expect((JSON.parse(cmd) as string[]).join(' ')).toBe(scripts.start);
  expect(readFileSync(resolve(root, 'Dockerfile'), 'utf8')).toMatch(/^ENV MALLOC_ARENA_MAX=2$/m);
});

describeWithDockerCompose('docker-compose.yml and ngrok.yml', () => {
  it('docker-compose.yml is valid (docker-compose config -q)', () => {
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('starts MongoDB and the service by default, and ngrok only under the tunnel profile', () => {
    expect(compose('config', '--services').trim().split('\n').sort()).toEqual([
      'grafana',
      'mongo',
      'ngrok',
      'prometheus',
      'service',
    ]);
    const resolved = compose('--profile', 'tunnel', 'config');
    // Only ngrok carries a profile, so a plain `up` starts MongoDB and the service alone.
    expect(resolved.match(/profiles:\n\s+- tunnel/g)).toHaveLength(1);
    expect(resolved).toMatch(/ngrok:\n(?:\s{4}.*\n)*?\s{4}profiles:\n\s+- tunnel/);
    expect(resolved).toContain('mongo-data:/data/db');
    expect(resolved).toMatch(/healthcheck:\n\s+interval/);
    expect(resolved).toContain('MONGODB_URI: mongodb://mongo:27017/clerk-user-sync');
    expect(resolved).toContain('/ngrok.yml:/etc/ngrok/ngrok.yml:ro');
  });
});

it('ngrok.yml is an agent v3 configuration with one endpoint to the service port, its UI on this machine only', () => {
  const config = readFileSync(resolve(root, 'ngrok.yml'), 'utf8');
  expect(config).toMatch(/^version: 3$/m);
  // `tunnels:` is deprecated in the v3 agent configuration in favour of `endpoints:`.
  expect(config).not.toMatch(/^tunnels:/m);
  expect(config).toMatch(/^endpoints:\n {2}- name: clerk-webhooks$/m);
  expect(config).toMatch(/^ {4}upstream:\n(?: *#.*\n)* {6}url: 3000$/m);
  expect(config).toMatch(/^ {2}web_addr: 127\.0\.0\.1:4040$/m);
  expect(config).not.toMatch(/authtoken:/);
  // In compose the UI listens on the container's interface, published on the host's loopback only.
  expect(readFileSync(resolve(root, 'ngrok.docker.yml'), 'utf8')).toMatch(/^ {2}web_addr: 0\.0\.0\.0:4040$/m);
});

describeWithDockerCompose('docker-compose.yml is the local stack', () => {
  it('runs development rules, whatever NODE_ENV the shell has', () => {
    const resolved = composeWith({ NODE_ENV: 'production' }, 'config');
    expect(resolved).toMatch(/NODE_ENV: development/);
  });

  it("the tunnel's inspection UI is published on the host's loopback only", () => {
    const resolved = compose('--profile', 'tunnel', 'config');
    expect(resolved).toContain('- 127.0.0.1:4040:4040/tcp');
    expect(resolved).toContain('/ngrok.docker.yml:/etc/ngrok/docker.yml:ro');
    expect(resolved).toContain('- /etc/ngrok/docker.yml');
  });
});

describeWithDockerCompose('docker-compose.production.yml', () => {
  const production = (env: Record<string, string>) =>
    composeWith(env, '-f', resolve(root, 'docker-compose.production.yml'), 'config');
  const required = {
    MONGODB_URI: 'mongodb://db.internal:27017/users',
    CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    CLERK_SECRET_KEY: 'sk_live_abc',
  };

  it.each(Object.keys(required))('refuses to start without %s, naming it', (name) => {
    const env: Record<string, string> = { ...required };
    delete env[name];
    expect(() => production(env)).toThrow(new RegExp(`set ${name}`));
  });

  it('runs the service alone under production rules, against the given database', () => {
    const resolved = production(required);
    expect(resolved).toMatch(/NODE_ENV: production/);
    expect(resolved).toContain('MONGODB_URI: mongodb://db.internal:27017/users');
    expect(resolved).not.toMatch(/^ {2}mongo:/m);
    expect(resolved).toMatch(/stop_grace_period: 15s/);
  });
});

describeWithDockerCompose('the monitoring profile', () => {
  it('adds Prometheus and Grafana only under the monitoring profile, with the dashboard mounted', () => {
    const resolved = compose('--profile', 'monitoring', 'config');
    expect(resolved.match(/profiles:\n\s+- monitoring/g)).toHaveLength(2);
    expect(resolved).toMatch(/prometheus:\n(?:\s{4}.*\n)*?\s{4}profiles:\n\s+- monitoring/);
    expect(resolved).toMatch(/grafana:\n(?:\s{4}.*\n)*?\s{4}profiles:\n\s+- monitoring/);
    expect(resolved).toContain('/docs/monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(resolved).toContain('/docs/grafana-dashboard.json:/var/lib/grafana/dashboards/clerk-user-sync.json:ro');
  });
});
