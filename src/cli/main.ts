/**
 * The `switchyard` command: dispatch to one file per command. Exit codes:
 * 0 ok, 1 configuration or runtime error (printed without a stack), 2 wrong
 * command line (message plus usage).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/config-error.js';
import { parseCommandArgs } from './args.js';
import { processIo, UsageError, type CliIo } from './io.js';
import { COMMANDS, usage } from './usage.js';
import { suggestion } from '../config/did-you-mean.js';

type Runner = (args: string[], io: CliIo) => number | Promise<number>;

// Loaded on demand: `--help` and `check` should not pay for loading the server, formats and sims.
const RUNNERS: Record<Exclude<(typeof COMMANDS)[number], 'help'>, () => Promise<Runner>> = {
  serve: async () => (await import('./serve.js')).runServe,
  demo: async () => (await import('./demo.js')).runDemo,
  check: async () => (await import('./check.js')).runCheck,
  alert: async () => (await import('./alert.js')).runAlert,
  keys: async () => (await import('./keys.js')).runKeys,
  journal: async () => (await import('./journal.js')).runJournal,
  drill: async () => (await import('./drill.js')).runDrillCommand,
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`${e.message}\n\n${usage(e.command)}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      const n = e.issues.length;
      io.stderr.write(`Configuration error${n > 1 ? `s (${n})` : ''}:\n${e.message}\n`);
      if (e.issues.some((i) => /^environment variable \S+ is not set$/.test(i.message))) {
        io.stderr.write('hint: export the variable, or write ${NAME:-default} (e.g. ${NAME:-} for "none") in the file\n');
      }
      return 1;
    }
    throw e;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    const values = parseCommandArgs('', argv, { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } });
    if (values.version) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (values.help) {
      io.stdout.write(usage(''));
      return 0;
    }
    throw new UsageError('switchyard: missing command', '');
  }
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic === '--help' || topic === '-h' || topic === undefined) {
      io.stdout.write(usage(topic === undefined ? '' : 'help'));
      return 0;
    }
    if (extra.length > 0 || !(COMMANDS as readonly string[]).includes(topic)) {
      throw new UsageError(`switchyard help: unknown command "${[topic, ...extra].join(' ')}"${suggestion(topic, COMMANDS)}`, 'help');
    }
    io.stdout.write(usage(topic));
    return 0;
  }
  const load = RUNNERS[first as keyof typeof RUNNERS];
  if (!load) throw new UsageError(`switchyard: unknown command "${first}"${suggestion(first, COMMANDS)}`, '');
  // --help anywhere in a command's arguments wins over everything else, even other mistakes.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(usage(first));
    return 0;
  }
  return (await load())(rest, io);
}

function version(): string {
  // ../../package.json from both src/cli and dist/cli.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Run when executed directly (`node --import tsx src/cli/main.ts`); bin/switchyard.js calls main() itself. */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) process.exit(await main(process.argv.slice(2)));
