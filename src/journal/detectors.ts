/**
 * What the journal removes before anything is stored (issue #26, privacy): each
 * detector is a global regular expression plus an optional check of the match.
 * Every pattern is anchored by a look-behind so a long run of letters or digits
 * is scanned once, not once per starting position (no quadratic time on a
 * base64 blob), and its repetitions are bounded.
 */

export interface Detector {
  /** The kind named in `[REDACTED:<kind>]`; a named group may override it (secrets). */
  kind: string;
  re: RegExp;
  /** Extra check on a candidate (Luhn, digit count); a rejected candidate is kept as it is. */
  accept?: (match: string) => boolean;
  /** The named group that matched (other than `keep`) names the kind (secrets). */
  kindFromGroup?: boolean;
}

/**
 * Provider keys and tokens, by their published prefixes. The named group says which kind
 * matched; `keep` holds a label to leave in place (`Bearer `, `api_key=`).
 */
const SECRET_ALTERNATIVES = [
  String.raw`(?<anthropic_key>sk-ant-[A-Za-z0-9_-]{20,})`,
  String.raw`(?<switchyard_key>sk-sy-[A-Za-z0-9_-]{16,})`,
  String.raw`(?<openai_key>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,})`,
  String.raw`(?<stripe_key>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})`,
  String.raw`(?<google_key>AIza[0-9A-Za-z_-]{35})`,
  String.raw`(?<aws_key>(?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Za-z0-9])`,
  String.raw`(?<github_token>gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`,
  String.raw`(?<slack_token>xox[abposr]-[A-Za-z0-9-]{10,})`,
  String.raw`(?<jwt>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})`,
  String.raw`(?<keep>[Bb]earer[ \t]+)(?<bearer>[A-Za-z0-9._~+/-]{16,}=*)`,
];

export const SECRETS: Detector = { kind: 'secret', kindFromGroup: true, re: new RegExp(`(?<![A-Za-z0-9_])(?:${SECRET_ALTERNATIVES.join('|')})`, 'g') };

/** `password: …`, `api_key=…` and the like, in any letter case (its own pass: `i` would loosen the prefixes above). */
export const CREDENTIALS: Detector = {
  kind: 'credential',
  re: /(?<![A-Za-z0-9_])(?<keep>(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)["']?[ \t]*[:=][ \t]*["']?)[^\s"',;]{6,}/gi,
};

export const EMAIL: Detector = {
  kind: 'email',
  re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
};

/** Luhn (ISO/IEC 7812-1): every second digit from the right doubled; the sum ends in 0. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * 13 to 19 digits, optionally grouped by one kind of separator, starting with 2-6 (the major
 * networks' first digits): an epoch-milliseconds timestamp starts with 1 and is not a card even
 * when it happens to pass Luhn (one number in ten does).
 */
export const CARD: Detector = {
  kind: 'card',
  re: /(?<![\d+-])[2-6](?:[ -]?\d){12,18}(?!\d)/g,
  accept: (m) => {
    const seps = m.replace(/\d/g, '');
    if (seps !== '' && seps !== seps[0]!.repeat(seps.length)) return false;
    return luhn(m.replace(/\D/g, ''));
  },
};

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/**
 * Phone numbers in the shapes people write them: international (+ and 8-15 digits, E.164's
 * limit), North American (415) 555-2671 / 415-555-2671 / 415.555.2671, and national numbers
 * with a trunk 0 in groups (020 7946 0958, 06 12 34 56 78). A bare run of digits (an id, a
 * timestamp) is not a phone number; neither is a date (2024-06-04) or an address like 10.0.0.1.
 */
export const PHONE: Detector = {
  kind: 'phone',
  re: new RegExp(
    [
      String.raw`(?<![\w+])\+(?:\d{8,15}|\d{1,4}(?:[ .-]?\(\d{1,5}\)\d{0,5}|[ .-]\d{1,5}){1,6})(?![\w]|[.-]\d)`,
      String.raw`(?<![\w.+-])(?:\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}([ .-])\d{3}\1\d{4})(?![\w]|[.-]\d)`,
      String.raw`(?<![\w.+-])(?:\(0\d{1,4}\) ?\d{2,8}(?: \d{2,8}){0,3}|0\d{1,4}([ .-])\d{2,8}(?:\2\d{2,8}){0,3})(?![\w]|[.-]\d)`,
    ].join('|'),
    'g',
  ),
  accept: (m) => {
    const n = digitCount(m);
    return m.startsWith('+') ? n >= 8 && n <= 15 : n >= 9 && n <= 12;
  },
};

export const MAX_PATTERN_LENGTH = 500;

/**
 * Why a custom pattern cannot be used, or undefined. Patterns run in the journal's writer,
 * never on the request path, so a slow one delays the journal, not the answers; still, the
 * shapes that take exponential time on ordinary text are refused up front.
 */
export function patternProblem(source: string, ignoreCase = false): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  let re: RegExp;
  try {
    re = new RegExp(source, ignoreCase ? 'gi' : 'g');
  } catch (e) {
    return `is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  if (re.test('')) return 'matches the empty string, so it would redact between every character; make it match at least one character';
  // A quantified group whose body ends in a quantifier: (a+)+, (\w*)*, (x{2,})+ ...
  if (/\((?:[^()\\]|\\.)*[+*}]\)[+*{]/.test(source)) {
    return 'repeats a group that itself ends in a repetition (like (a+)+), which can take exponential time; rewrite it without the nesting';
  }
  return undefined;
}
