import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** The environment as the service sees it, for the command-line tools: .env under process.env. */
export function readEnvironment(envFile = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}
