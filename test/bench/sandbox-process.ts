import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sandboxCli = fileURLToPath(new URL('../../packages/sandbox/src/cli.ts', import.meta.url));

export interface SandboxProcess {
  pid: number;
  awsEndpoint: string;
  region: string;
  databaseUrl: string;
  versionsDir: string;
  stop(): Promise<void>;
}

/**
 * The sandbox (local AWS and its PGlite demo database) in a process of its own, started by its
 * CLI: its work (generating traffic, answering the BFF's polls, PGlite queries) neither shares
 * the BFF's event loop nor the load generator's, so neither figure carries the sandbox's pauses.
 */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  // fork() reuses this process's execArgv, so the CLI runs under the same tsx loader as the bench.
  const child: ChildProcess = fork(
    sandboxCli,
    ['--host', '127.0.0.1', '--aws-port', '0', '--db-port', '0', '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let output = '';
  const started = await new Promise<SandboxProcess>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const aws = /AWS endpoint\s+(\S+)\s+\(region ([^,]+),/.exec(output);
      const database = /Database\s+(\S+)/.exec(output);
      const alembic = /Alembic\s+(\S+)/.exec(output);
      if (aws && database && alembic) {
        clearTimeout(timer);
        resolve({
          pid: child.pid!,
          awsEndpoint: aws[1]!,
          region: aws[2]!,
          databaseUrl: database[1]!,
          versionsDir: alembic[1]!,
          stop,
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${output}`));
    });
  });
  function stop(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  }
  return started;
}
