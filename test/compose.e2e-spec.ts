import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { DOCKER_COMPOSE, findOutsideTool } from './support/outside-tools';

/** The compose file and the tunnel configuration, checked by docker-compose itself (no engine needed). */
const root = resolve(__dirname, '..');
// An empty env file: the developer's .env must not decide whether the file is valid.
const emptyEnvFile = resolve(mkdtempSync(resolve(tmpdir(), 'compose-')), 'empty.env');
writeFileSync(emptyEnvFile, '');
const dockerComposePath = findOutsideTool(DOCKER_COMPOSE, 'test/compose.e2e-spec.ts');

function compose(...args: string[]): string {
  return execFileSync(dockerComposePath!, ['--project-directory', root, '--env-file', emptyEnvFile, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
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

it('ngrok.yml is an agent v3 configuration tunnelling to the service port', () => {
  const config = readFileSync(resolve(root, 'ngrok.yml'), 'utf8');
  expect(config).toMatch(/^version: 3$/m);
  expect(config).toMatch(/^\s+proto: http$/m);
  expect(config).toMatch(/^\s+addr: 3000$/m);
  expect(config).not.toMatch(/authtoken:/);
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
