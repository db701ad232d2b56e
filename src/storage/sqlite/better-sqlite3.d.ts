// better-sqlite3 ships no types; driver.ts types the few calls it makes (no @types dependency).
declare module 'better-sqlite3';
