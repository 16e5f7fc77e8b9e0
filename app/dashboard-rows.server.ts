import { randomBytes } from "node:crypto";
import type { DB } from "../db/pool";
import { executionReport, type ExecutionRow } from "../db/execution";

/*
 * The dashboard computes its report once per view: the page's loader keeps the project rows here
 * under a one-time token and the grid's fetch of /execution.json takes them back. A token is bound to
 * the user and the exact query; rows not taken in time, or pushed out by newer ones, are dropped and
 * the grid's request computes them as before. Bounded by rows held and by age, so that bursts of page
 * views cannot pile reports up in the server's memory (the page itself stays small: no rows in it).
 */

/** Whose rows, for which query: all must match for the rows to be handed over. */
export interface RowsKey {
  userId: number;
  year: number;
  asOf: string;
  unitId: number;
}

interface Entry<Row> extends RowsKey {
  rows: readonly Row[];
  keptAt: number;
  timer: ReturnType<typeof setTimeout>;
}

/** A small in-memory store of row lists, each handed over once, to the same user and query only. */
export class RowsCache<Row> {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly entries = new Map<string, Entry<Row>>();
  private held = 0;
  private readonly maxRows: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: { maxRows: number; maxAgeMs: number; now?: () => number }) {
    this.maxRows = options.maxRows;
    this.maxAgeMs = options.maxAgeMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Rows held in all. */
  get rowsHeld(): number {
    return this.held;
  }

  /** Keeps rows for key and returns their token; null when the rows alone exceed the bound. */
  keep(key: RowsKey, rows: readonly Row[]): string | null {
    this.dropExpired();
    if (rows.length > this.maxRows) return null;
    for (const [token, entry] of this.entries) {
      if (this.held + rows.length <= this.maxRows) break;
      this.drop(token, entry);
    }
    const token = randomBytes(18).toString("base64url");
    // Frees the memory of rows never asked for even when no other request comes to sweep them.
    const timer = setTimeout(() => this.drop(token), this.maxAgeMs);
    timer.unref?.();
    this.entries.set(token, { ...key, rows, keptAt: this.now(), timer });
    this.held += rows.length;
    return token;
  }

  /** The rows kept under token, once, when key is the one they were kept for; otherwise undefined. */
  take(token: string, key: RowsKey): readonly Row[] | undefined {
    this.dropExpired();
    const entry = this.entries.get(token);
    // Another user's token is left alone (and tells nothing); the owner's request uses it up either way.
    if (!entry || entry.userId !== key.userId) return undefined;
    this.drop(token, entry);
    return entry.year === key.year && entry.asOf === key.asOf && entry.unitId === key.unitId ? entry.rows : undefined;
  }

  private dropExpired(): void {
    const oldest = this.now() - this.maxAgeMs;
    for (const [token, entry] of this.entries) {
      if (entry.keptAt > oldest) break;
      this.drop(token, entry);
    }
  }

  private drop(token: string, entry = this.entries.get(token)): void {
    if (!entry) return;
    clearTimeout(entry.timer);
    this.entries.delete(token);
    this.held -= entry.rows.length;
  }
}

/**
 * The server's store of dashboard rows: at most 50,000 rows (two and a half city-scale reports of
 * 20,000 projects, ≈ 9 MB each as objects) for at most 60 s, the oldest pushed out first. In bursts of
 * four city-wide views two grids then compute their rows again; room for all four (100,000 rows) was
 * measured and raised the server's peak (276–298 MB against 251–264 MB), so the bound stays small.
 */
const dashboardRows = new RowsCache<ExecutionRow>({ maxRows: 50_000, maxAgeMs: 60_000 });

/** Keeps the page's project rows for its grid; the token to pass to /execution.json (null: nothing kept). */
export function keepRowsForGrid(key: RowsKey, rows: readonly ExecutionRow[]): string | null {
  return rows.length === 0 ? null : dashboardRows.keep(key, rows);
}

/** The grid's rows: those the page kept under token for this user and query, else computed anew. */
export async function rowsForGrid(db: DB, key: RowsKey, token: string | null): Promise<readonly ExecutionRow[]> {
  const kept = token === null ? undefined : dashboardRows.take(token, key);
  return kept ?? (await executionReport(db, { year: key.year, asOf: key.asOf, unitId: key.unitId })).rows;
}
