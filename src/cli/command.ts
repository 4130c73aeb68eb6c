import { AppConfig, InvalidConfigError, parseConfig } from '../config/config.schema';
import { readEnvironment } from '../config/read-environment';

/** Ends a command with one message on stderr and the exit code. */
export function fail(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

/** The service's configuration (.env under the environment), or exit naming what is wrong. */
export function loadCommandConfig(exitCode: number): { env: Record<string, string | undefined>; config: AppConfig } {
  const env = readEnvironment();
  try {
    return { env, config: parseConfig(env) };
  } catch (error) {
    if (error instanceof InvalidConfigError) fail(error.message, exitCode);
    throw error;
  }
}
