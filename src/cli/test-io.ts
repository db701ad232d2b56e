/** A CliIo that captures output and lets a test deliver stop signals. */
import { createLogger } from '../http/logger.js';
import type { CliIo } from './io.js';

export interface TestIo extends CliIo {
  out(): string;
  err(): string;
  stop(signal?: string): void;
}

export function testIo(opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): TestIo {
  let out = '';
  let err = '';
  const listeners: ((s: string) => void)[] = [];
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    onStop: (l) => void listeners.push(l),
    logger: createLogger('silent'),
    out: () => out,
    err: () => err,
    stop: (signal = 'SIGTERM') => listeners.forEach((l) => l(signal)),
  };
}
