/**
 * What a running gateway must close, in order: each piece is added as it is built, and closed in
 * the reverse order (the HTTP server stops first, the connection pools and the log last), once,
 * even when an earlier one fails.
 */
export class Lifecycle {
  private readonly closers: Array<{ name: string; close: () => Promise<void> | void }> = [];
  private closing: Promise<void> | undefined;

  add(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  /** Close everything (later pieces first); the first failure is thrown after all were tried. */
  close(): Promise<void> {
    return (this.closing ??= this.closeAll());
  }

  private async closeAll(): Promise<void> {
    let first: unknown;
    for (const c of [...this.closers].reverse()) {
      try {
        await c.close();
      } catch (e) {
        first ??= new Error(`closing ${c.name} failed: ${(e as Error).message}`, { cause: e });
      }
    }
    if (first !== undefined) throw first;
  }
}
