// One long-running process of the stack (a server, a worker, an API), in a process group of its
// own so that a signal reaches what `npm run …` starts beneath it, as tini passes it on in the image.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const running = new Set<StackProcess>();
// Never leave a process group behind when the stack's own process exits without stopping it.
process.once('exit', () => { for (const p of running) p.signal('SIGKILL'); });

export class StackProcess {
  child: ChildProcess | null = null;
  /** How many times this process has been started. */
  starts = 0;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly command: string,
    readonly args: string[],
    readonly options: {
      env: Record<string, string>; cwd?: string; logFile: string; graceMs: number;
      /** The compose file's `restart: unless-stopped`: started again when it ends without being stopped. */
      restartUnlessStopped?: boolean;
      /** The image's STOPSIGNAL (default SIGTERM). */
      stopSignal?: NodeJS.Signals;
      /** Run as this user (PostgreSQL refuses to run as root). */
      uid?: number; gid?: number;
    },
  ) {}

  private stopped = false;
  /** Called after the restart policy has started the process again. */
  onRestart: (() => void) | null = null;

  get pid(): number | undefined { return this.child?.pid; }
  get alive(): boolean { return this.child !== null && this.child.exitCode === null && this.child.signalCode === null; }

  start(): void {
    if (this.alive) throw new Error(`${this.name} is running already`);
    this.stopped = false;
    const log = createWriteStream(this.options.logFile, { flags: 'a' });
    const child = spawn(this.command, this.args, { cwd: this.options.cwd, env: this.options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], uid: this.options.uid, gid: this.options.gid });
    // Two streams into one file: neither may end it for the other.
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('close', () => log.end());
    this.child = child;
    this.starts += 1;
    running.add(this);
    this.exited = new Promise((resolve) => child.once('exit', () => {
      running.delete(this);
      resolve();
      // Docker restarts a container that exits by itself (a crash, a SIGKILL) after a short delay.
      if (this.options.restartUnlessStopped && !this.stopped) {
        setTimeout(() => { if (!this.stopped && !this.alive) { this.start(); this.onRestart?.(); } }, 1000).unref();
      }
    }));
  }

  /** Sends a signal to the whole process group. */
  signal(sig: NodeJS.Signals): void {
    if (!this.child?.pid) return;
    try { process.kill(-this.child.pid, sig); } catch { /* gone already */ }
  }

  /** SIGKILL, as a crash would: nothing is drained (and the restart policy, if any, starts it again). */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /** Resolves once the process has been started more than `times` times (by the restart policy). */
  async restartedSince(times: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.starts <= times || !this.alive) {
      if (Date.now() > deadline) throw new Error(`${this.name} was not restarted within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM, then SIGKILL after the grace period (the compose file's stop_grace_period). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (!this.alive) return;
    const timer = setTimeout(() => this.signal('SIGKILL'), this.options.graceMs);
    this.signal(this.options.stopSignal ?? 'SIGTERM');
    await this.exited;
    clearTimeout(timer);
    // What the group's leader started may still be ending.
    this.signal('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** Resolves when the process exits, or rejects if it is still running after ms. */
  exitedWithin(ms: number): Promise<void> {
    return Promise.race([this.exited, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`${this.name} still running after ${ms} ms`)), ms).unref())]);
  }
}

/** Runs a one-shot job (a compose one-shot service) to its end; resolves with its exit code. */
export function runOnce(command: string, args: string[], options: { env: Record<string, string>; cwd?: string; logFile: string; timeoutMs: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('close', () => log.end());
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')} did not finish within ${options.timeoutMs} ms (log: ${options.logFile})`)); }, options.timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code) => { clearTimeout(timer); resolve(code ?? 1); });
  });
}
