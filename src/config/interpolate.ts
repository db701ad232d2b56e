/**
 * `${VAR}` and `${VAR:-default}` in every string value of a parsed YAML tree
 * (keys are left alone). `$${...}` is a literal `${...}`. Shell semantics for
 * `:-`: the default applies when the variable is unset or empty.
 */
import { formatPath, type ConfigIssue } from './config-error.js';

export interface InterpolationResult {
  value: unknown;
  issues: ConfigIssue[];
  /** Paths (formatted) whose value could not be resolved; later checks skip them to avoid echo errors. */
  failed: Set<string>;
}

const REF = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const INNER = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

export function interpolateTree(tree: unknown, env: NodeJS.ProcessEnv): InterpolationResult {
  const issues: ConfigIssue[] = [];
  const failed = new Set<string>();
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const r = interpolateString(node, env);
      if (r.problems.length === 0) return r.value;
      const p = formatPath(path);
      failed.add(p);
      for (const message of r.problems) issues.push({ path: p, message });
      return undefined;
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };
  return { value: walk(tree, []), issues, failed };
}

export function interpolateString(s: string, env: NodeJS.ProcessEnv): { value: string; problems: string[] } {
  const problems: string[] = [];
  const value = s.replace(REF, (match, inner: string | undefined) => {
    if (match === '$${') return '${';
    if (inner === undefined) {
      problems.push('unterminated "${" (write "$${" for a literal "${")');
      return match;
    }
    const m = INNER.exec(inner);
    if (!m) {
      problems.push(`invalid variable reference "\${${inner}}": expected \${NAME} or \${NAME:-default}`);
      return match;
    }
    const name = m[1]!;
    const fallback = m[2];
    const v = env[name];
    if (fallback !== undefined) return v === undefined || v === '' ? fallback : v;
    if (v === undefined) {
      problems.push(`environment variable ${name} is not set`);
      return '';
    }
    return v;
  });
  return { value, problems };
}
