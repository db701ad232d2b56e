/**
 * Value schemas the section schemas share. A leaf module (zod only): schema.ts imports the section
 * files, so they cannot import helpers back from it without an ESM cycle.
 */
import { z } from 'zod';

/** A whole number in [min, max]; YAML or environment strings of digits are accepted. */
export const whole = (what: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected ${what}` })
      .int({ error: `expected ${what}` })
      .min(min, { error: (iss) => `${String(iss.input)} is out of range; expected ${what}` })
      .max(max, { error: (iss) => `${String(iss.input)} is out of range; expected ${what}` }),
  );

/** true or false; the strings 'true' and 'false' (an interpolated environment variable) too. */
export const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: 'expected true or false' }));
