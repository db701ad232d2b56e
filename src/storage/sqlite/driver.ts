/**
 * The few better-sqlite3 calls the SQLite adapter uses, typed here so the
 * driver is imported only when a SQLite store is opened (DESIGN.md principle 8:
 * drivers load only when used) and no @types package is needed.
 */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(sql: string, opts?: { simple?: boolean }): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

type DatabaseConstructor = new (file: string, opts?: { timeout?: number; readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;

/** `readonly`: never writes (the file must exist); for checks and readers beside a running gateway. */
export async function openSqliteDatabase(file: string, opts: { readonly?: boolean } = {}): Promise<SqliteDatabase> {
  let mod: { default: DatabaseConstructor };
  try {
    mod = (await import('better-sqlite3')) as unknown as { default: DatabaseConstructor };
  } catch (e) {
    throw new Error(
      `The SQLite store needs the better-sqlite3 package, which failed to load (${(e as Error).message}). ` +
        'Reinstall with `npm ci` (it compiles a native module), or run with an in-memory store.',
      { cause: e },
    );
  }
  return new mod.default(file, opts.readonly ? { timeout: 5_000, readonly: true, fileMustExist: true } : { timeout: 5_000 });
}
