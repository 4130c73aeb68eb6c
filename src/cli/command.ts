import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppConfig } from '../config/app-config';
import { InvalidConfigError, parseConfig } from '../config/config.schema';
import { readEnvironment } from '../config/read-environment';

/** Ends a command with one message on stderr and the exit code. */
export function fail(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

/** A mistake in how a command was called: one line that names it, then the usage, and exit code 2. */
export function failUsage(problem: string, usage: string): never {
  return fail(`${problem}\n\n${usage}`, 2);
}

/**
 * The command line, read by node:util's parseArgs (strict: unknown options and options without
 * their value are refused), its refusals turned into `failUsage` instead of a stack trace.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS_')) throw error;
    return failUsage(argumentProblem(code, (error as Error).message), usage);
  }
}

/** parseArgs's message, shortened to what was wrong (its own advice is about positionals). */
function argumentProblem(code: string, message: string): string {
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `Unexpected argument ${JSON.stringify(quoted)}`;
  if (/does not take an argument/.test(message)) return `${option} takes no value`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option} needs a value`;
  return message.split('\n')[0];
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
