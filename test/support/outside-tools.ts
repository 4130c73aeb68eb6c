import { accessSync, appendFileSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program outside Node that some suites drive; `npm test` runs without it, CI never does. */
export interface OutsideTool {
  /** The program's name on PATH. */
  command: string;
  /** The variable that names its path instead. */
  variable: string;
  /** How a person gets it. */
  install: string;
}

export const CHROMIUM: OutsideTool = {
  command: 'chromium',
  variable: 'CHROMIUM_PATH',
  install: '`sudo apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chromium or Chrome binary',
};
export const DOCKER_COMPOSE: OutsideTool = {
  command: 'docker-compose',
  variable: 'DOCKER_COMPOSE_BIN',
  install: '`sudo apt-get install -y docker-compose` (Debian), or set DOCKER_COMPOSE_BIN (no Docker engine is needed)',
};
export const SCHEMATHESIS: OutsideTool = {
  command: 'schemathesis',
  variable: 'SCHEMATHESIS_BIN',
  install: '`pip install schemathesis` (Python 3.9+), or set SCHEMATHESIS_BIN',
};

export const PROMTOOL: OutsideTool = {
  command: 'promtool',
  variable: 'PROMTOOL_BIN',
  install: '`sudo apt-get install -y prometheus` (Debian; only its promtool is used), or set PROMTOOL_BIN',
};

/** SecantusDB's server, for the suites that crash, pause and restart a database of their own. */
export const SECANTUSD: OutsideTool = {
  command: 'secantusd-rs',
  variable: 'SECANTUS_BIN',
  install: '`cargo install secantus-mdb` (as .ci/run does), or set SECANTUS_BIN to its secantusd-rs',
};

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function locate({ command, variable }: OutsideTool): string | undefined {
  const named = process.env[variable];
  if (named) return isExecutable(named) ? named : undefined;
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find(isExecutable);
}

/**
 * The tool's path, or undefined when it is missing: the caller then skips its suite, and the
 * run's summary (global teardown) names the suite and how to get the tool. With `CI` set a
 * missing tool throws, so CI can never pass without running these suites.
 */
export function findOutsideTool(tool: OutsideTool, suite: string): string | undefined {
  const path = locate(tool);
  if (path) return path;
  const where = process.env[tool.variable]
    ? `${tool.variable}=${process.env[tool.variable]} is not executable`
    : `${tool.command} is not on PATH`;
  if (process.env.CI) throw new Error(`${suite}: ${where}. CI runs every suite: ${tool.install}`);
  if (process.env.SKIPPED_SUITES_FILE)
    appendFileSync(process.env.SKIPPED_SUITES_FILE, `${suite}\t${where}\t${tool.install}\n`);
  return undefined;
}
