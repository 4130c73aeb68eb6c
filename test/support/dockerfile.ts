import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix, resolve } from 'node:path';

/** One instruction of a Dockerfile: `COPY --from=build /app/dist ./dist` → op COPY, flags {from}, args. */
interface Instruction {
  op: string;
  flags: Record<string, string>;
  args: string[];
  /** The text after the op (and its flags), for RUN, CMD and HEALTHCHECK. */
  rest: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages: comments and line continuations folded away, flags split off. */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, body] = /^(\S+)\s+(.*)$/.exec(line)!;
    const flags: Record<string, string> = {};
    let rest = body;
    for (let flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest); flag; flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
      flags[flag[1]] = flag[2];
      rest = rest.slice(flag[0].length);
    }
    const instruction = { op: op.toUpperCase(), flags, args: rest.split(/\s+/), rest };
    if (instruction.op === 'FROM') {
      const [, , name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      stages.push({ name: name ?? String(stages.length), instructions: [] });
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

export interface ImageLayout {
  /** The runtime stage's file system: its WORKDIR is `join(root, workdir)`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
}

/** The environment a RUN step gets: the machine's, without what `npm test` and jest set. */
function runEnvironment(stageEnv: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(npm_|NODE_ENV$|JEST_|INIT_CWD$)/i.test(name)) env[name] = value;
  }
  // Packages npm has cached already are taken from its cache (the image build would download them).
  return { ...env, npm_config_prefer_offline: 'true', ...stageEnv };
}

/**
 * The image's files as `docker build` would lay them out, without a Docker engine: each stage gets
 * a folder that stands for its root, COPY copies from the repository (or, with --from, from an
 * earlier stage's folder), RUN runs its command there with the stage's ENV. Any instruction this
 * does not know fails, so the reproduction cannot silently drift from the Dockerfile.
 */
export function buildImageLayout(repository: string): ImageLayout {
  const stages = parseDockerfile(readFileSync(join(repository, 'Dockerfile'), 'utf8'));
  const scratch = mkdtempSync(join(tmpdir(), 'image-layout-'));
  const roots = new Map<string, string>();
  let layout: ImageLayout | undefined;
  for (const stage of stages) {
    const root = join(scratch, stage.name);
    mkdirSync(root);
    roots.set(stage.name, root);
    layout = { root, workdir: '/', env: {}, cmd: [], healthcheck: [] };
    const inStage = (path: string) => join(root, posix.resolve(layout!.workdir, path));
    for (const { op, flags, args, rest } of stage.instructions) {
      switch (op) {
        case 'WORKDIR':
          layout.workdir = posix.resolve(layout.workdir, args[0]);
          mkdirSync(inStage('.'), { recursive: true });
          break;
        case 'ENV':
          for (const pair of args) {
            const [name, ...value] = pair.split('=');
            layout.env[name] = value.join('=');
          }
          break;
        case 'COPY': {
          const destination = args.at(-1)!;
          const from = flags.from === undefined ? undefined : roots.get(flags.from);
          if (flags.from !== undefined && !from) throw new Error(`COPY --from=${flags.from}: no such stage`);
          const sources = args.slice(0, -1).map((source) => (from ? join(from, source) : resolve(repository, source)));
          for (const source of sources) {
            // `COPY a b ./` puts a and b into ./; `COPY src ./src` makes ./src the folder src.
            const target = destination.endsWith('/')
              ? join(inStage(destination), basename(source))
              : inStage(destination);
            cpSync(source, target, { recursive: true });
          }
          break;
        }
        case 'RUN': {
          const run = spawnSync(rest, {
            cwd: inStage('.'),
            shell: true,
            env: runEnvironment(layout.env),
            encoding: 'utf8',
          });
          if (run.status !== 0) throw new Error(`RUN ${rest} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
          break;
        }
        case 'CMD':
          layout.cmd = JSON.parse(rest) as string[];
          break;
        case 'HEALTHCHECK':
          layout.healthcheck = JSON.parse(/\bCMD\s+(\[.*\])$/.exec(rest)![1]) as string[];
          break;
        case 'USER':
        case 'EXPOSE':
          break;
        default:
          throw new Error(`The Dockerfile reproduction does not know ${op}: teach test/support/dockerfile.ts`);
      }
    }
  }
  return layout!;
}
