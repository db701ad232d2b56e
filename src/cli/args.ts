/**
 * node:util parseArgs, strict, with messages a person can act on: the unknown
 * flag, a did-you-mean, and (by the caller) the command's usage. parseArgs's own
 * messages mention positional-argument escapes, which confuse more than help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestion } from '../config/did-you-mean.js';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  return parseCommandLine(command, args, options, false).values;
}

/** As parseCommandArgs, for commands that also take arguments (`switchyard drill <scenario>`). */
export function parseCommandLine<O extends Options>(command: string, args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'([^']+)'/.exec(err.message)?.[1] ?? '';
    const where = command ? `switchyard ${command}` : 'switchyard';
    const names = Object.keys(options).map((n) => `--${n}`);
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
        const bare = flag.replace(/=.*$/, '');
        throw new UsageError(`${where}: unknown option ${bare}${suggestion(bare, names)}`, command);
      }
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`${where}: unexpected argument "${flag}"`, command);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        // e.g. `--port` with no value, or `--help=yes`.
        // parseArgs names it like "-p, --port <value>"; the long name is what people recognise.
        throw new UsageError(
          `${where}: option ${/--[\w-]+/.exec(flag)?.[0] ?? flag} ${/argument missing/.test(err.message) ? 'needs a value' : 'does not take a value'}`,
          command,
        );
      default:
        throw new UsageError(`${where}: ${err.message}`, command);
    }
  }
}
