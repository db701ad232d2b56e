/**
 * What commands need from the outside world, injectable so tests can call
 * commands directly and capture their output.
 */
import type { Logger } from '../http/logger.js';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); a second call means "now". */
  onStop(listener: (signal: string) => void): void;
  /** The gateway's request logger; default: pino on stdout (LOG_LEVEL). */
  logger?: Logger;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onStop(listener) {
      process.on('SIGINT', () => listener('SIGINT'));
      process.on('SIGTERM', () => listener('SIGTERM'));
    },
  };
}

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** Which command's usage to show ('' = top level). */
    readonly command: string,
  ) {
    super(message);
  }
}

/** `--port` as typed: digits only, 0..65535 (0 = any free port). */
export function parsePort(value: string | undefined, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > 65535) {
    throw new UsageError(`invalid --port "${value}": expected an integer from 0 to 65535 (0 = any free port)`, command);
  }
  return n;
}
