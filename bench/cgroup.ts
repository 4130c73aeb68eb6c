import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The cgroup v1 memory controller's root (writable as root on Linux hosts that mount v1). */
const MEMORY_ROOT = '/sys/fs/cgroup/memory';

/** What the kernel recorded inside a memory limit since the last reset. */
export interface LimitedMemory {
  limitMiB: number;
  /** The cgroup's peak charge (RSS and page cache of its processes), MiB. */
  peakMiB: number;
  /** How often the charge hit the limit (the kernel reclaimed to stay under it). */
  failcnt: number;
  /** Processes the kernel's OOM killer ended in the cgroup, since it was made. */
  oomKills: number;
}

/**
 * A memory cgroup with a hard limit, for a process started inside it (`shellPrefix`). Returns
 * the reason instead when the limit cannot be set here (no cgroup v1, not root).
 */
export function memoryLimit(name: string, limitMiB: number): MemoryCgroup | string {
  const dir = join(MEMORY_ROOT, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitMiB * 1024 * 1024));
    // No swap to spill into, as in a container: the limit is the memory there is.
    try {
      writeFileSync(join(dir, 'memory.swappiness'), '0');
    } catch {
      // Not every kernel lets it be set per cgroup; without swap it changes nothing.
    }
    return new MemoryCgroup(dir, limitMiB);
  } catch (error) {
    return `no ${limitMiB} MiB memory limit here (${(error as Error).message})`;
  }
}

export class MemoryCgroup {
  constructor(
    readonly dir: string,
    readonly limitMiB: number,
  ) {}

  /** `sh -c` text that moves the shell into the cgroup, then execs the command ("$@"). */
  get shellPrefix(): string {
    return `echo $$ > '${join(this.dir, 'cgroup.procs')}' && exec "$@"`;
  }

  /** Starts a new peak and failure count (the OOM kills are counted since creation). */
  reset(): void {
    writeFileSync(join(this.dir, 'memory.max_usage_in_bytes'), '0');
    writeFileSync(join(this.dir, 'memory.failcnt'), '0');
  }

  read(): LimitedMemory {
    const value = (file: string) => Number(readFileSync(join(this.dir, file), 'utf8').trim());
    const oom = /^oom_kill (\d+)$/m.exec(readFileSync(join(this.dir, 'memory.oom_control'), 'utf8'));
    return {
      limitMiB: this.limitMiB,
      peakMiB: Math.round(value('memory.max_usage_in_bytes') / 1024 / 1024),
      failcnt: value('memory.failcnt'),
      oomKills: oom ? Number(oom[1]) : 0,
    };
  }

  /** Removes the cgroup once its processes have exited. */
  remove(): void {
    try {
      rmdirSync(this.dir);
    } catch {
      // A process still inside (it is being killed): the kernel keeps the group until it leaves.
    }
  }
}
