/**
 * Problems in a scenario file, all of them at once, one `file: path: message` line each:
 * the configuration's format (ConfigError), under its own name so the command line can say
 * "scenario" rather than "configuration".
 */
import type { ConfigIssue } from '../config/config-error.js';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    /** A file path or a built-in's name. */
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
  }
}
