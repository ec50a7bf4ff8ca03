import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bffDir = fileURLToPath(new URL('../../apps/bff/', import.meta.url));

export interface BffProcess {
  url: string;
  pid: number;
  /** Peak resident set since the last reset, in MiB (Linux VmHWM). */
  peakRssMb(): number;
  /** CPU time (user + system) the BFF process has used so far, in ms (Linux /proc/<pid>/stat). */
  cpuMs(): number;
  /** Starts a new peak measurement (Linux clear_refs 5); false where unsupported. */
  resetPeak(): boolean;
  stop(): Promise<void>;
}

function procStatus(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
}

/** utime + stime of /proc/<pid>/stat, in ms (clock ticks are 100 Hz on Linux). */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The BFF in a process of its own, started the way production starts it (compiled, a config
 * file), so its memory is measured alone — not the sandbox's, not the load generator's.
 */
/** The V8 flags `pnpm start:production` starts the BFF with (package.json): the bench runs it the same way. */
export const productionNodeFlags = ['--max-old-space-size=192', '--max-semi-space-size=8'];

export async function startBffProcess(
  config: unknown,
  env: Record<string, string>,
  nodeOptions: string[] = productionNodeFlags,
): Promise<BffProcess> {
  const configPath = `/tmp/flightdeck-bench-${process.pid}.json`;
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  // The production start: the compiled BFF (`pnpm build`) on plain node.
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, 'dist/main.js'], {
    cwd: bffDir,
    env: { ...process.env, ...env, FLIGHTDECK_CONFIG: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BFF did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Flightdeck is running: (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        // The BFF listens on 127.0.0.1: no localhost lookup (::1 first) per new connection.
        resolve(match[1]!.replace('//localhost:', '//127.0.0.1:'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`BFF exited with ${code}:\n${output}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    peakRssMb: () => procStatus(pid, 'VmHWM'),
    cpuMs: () => procCpuMs(pid),
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
