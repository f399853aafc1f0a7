import { applyMigrations, type Database, type Migration } from './open-database.js';

/** Persistent daily token usage per key (survives restarts, shared by processes on one database). */
export interface TokenBudgetStore {
  /** Tokens recorded for `keyId` on `day` (UTC `YYYY-MM-DD`). */
  used(keyId: string, day: string): number;
  /** Adds tokens and returns the new total for that key and day (including other processes' usage). */
  add(options: { keyId: string; day: string; tokens: number }): number;
  /** Adds many deltas in one transaction; returns the new totals in the same order. */
  addMany(deltas: readonly { keyId: string; day: string; tokens: number }[]): number[];
}

const MIGRATIONS: readonly Migration[] = [
  {
    name: 'budget-001-create',
    sql: `CREATE TABLE token_usage (
      key_id TEXT NOT NULL,
      day TEXT NOT NULL,
      tokens INTEGER NOT NULL,
      PRIMARY KEY (key_id, day)
    ) WITHOUT ROWID;`,
  },
];

/** Creates the SQLite-backed daily token usage store. */
export function createTokenBudgetStore(options: { database: Database }): TokenBudgetStore {
  const { database } = options;
  applyMigrations(database, MIGRATIONS);
  const select = database.prepare('SELECT tokens FROM token_usage WHERE key_id = ? AND day = ?');
  const upsert = database.prepare(
    `INSERT INTO token_usage (key_id, day, tokens) VALUES (@keyId, @day, @tokens)
     ON CONFLICT (key_id, day) DO UPDATE SET tokens = tokens + excluded.tokens
     RETURNING tokens`,
  );
  const addMany = database.transaction((deltas: readonly { keyId: string; day: string; tokens: number }[]) =>
    deltas.map((delta) => (upsert.get(delta) as { tokens: number }).tokens),
  );
  return {
    used(keyId, day) {
      const row = select.get(keyId, day) as { tokens: number } | undefined;
      return row?.tokens ?? 0;
    },
    add(delta) {
      return addMany.immediate([delta])[0] ?? 0;
    },
    addMany(deltas) {
      return deltas.length === 0 ? [] : addMany.immediate(deltas);
    },
  };
}
