/**
 * The one error loadConfig throws. It lists every problem found, one per line,
 * as `source: path: message`, so users fix a config in one go instead of one
 * problem per restart.
 */
export interface ConfigIssue {
  /** YAML path like `models[1].targets[0].provider`, an env var name, or '' for the whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** A file path, 'environment' or a CLI flag. */
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
  }
}

/** `['models', 1, 'targets', 0]` -> `models[1].targets[0]`; odd keys are quoted: `headers["OpenAI-Organization"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/**
 * Replace any secret value that slipped into a message with `***`.
 * Messages are written not to echo values, this is the second line of defence.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    // Very short values (e.g. "1") would mangle ordinary text and are not credentials.
    if (s.length >= 6) out = out.split(s).join('***');
  }
  return out;
}
