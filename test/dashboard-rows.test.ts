import { describe, expect, it } from "vitest";
import { RowsCache, keepRowsForGrid, rowsForGrid, type RowsKey } from "../app/dashboard-rows.server.ts";
import type { DB } from "../db/pool.ts";
import type { ExecutionRow } from "../db/execution.ts";

/*
 * The dashboard's rows kept between the page's loader and the grid's request (issue 13): handed over
 * once, only to the same user for the same query, and bounded by rows held and by age.
 */

const minhang: RowsKey = { userId: 2, year: 2024, asOf: "2024-08-31", unitId: 7 };
const rowsOf = (count: number, from = 0) => Array.from({ length: count }, (_, index) => ({ projectId: from + index }));

function cacheAt(clock: { ms: number }, maxRows = 100) {
  return new RowsCache<{ projectId: number }>({ maxRows, maxAgeMs: 60_000, now: () => clock.ms });
}

describe("the dashboard rows cache", () => {
  it("hands the rows over once", () => {
    const cache = cacheAt({ ms: 0 });
    const rows = rowsOf(3);
    const token = cache.keep(minhang, rows)!;
    expect(token).toMatch(/^[\w-]{24}$/);
    expect(cache.take(token, minhang)).toBe(rows);
    expect(cache.take(token, minhang)).toBeUndefined();
    expect(cache.rowsHeld).toBe(0);
  });

  it("gives each page view a token of its own", () => {
    const cache = cacheAt({ ms: 0 });
    const first = cache.keep(minhang, rowsOf(1))!;
    const second = cache.keep(minhang, rowsOf(1, 1))!;
    expect(first).not.toBe(second);
    expect(cache.take(second, minhang)).toEqual([{ projectId: 1 }]);
    expect(cache.take(first, minhang)).toEqual([{ projectId: 0 }]);
  });

  it("refuses another user's token and keeps the rows for their owner", () => {
    const cache = cacheAt({ ms: 0 });
    const token = cache.keep(minhang, rowsOf(3))!;
    expect(cache.take(token, { ...minhang, userId: 3 })).toBeUndefined();
    expect(cache.take(token, minhang)).toHaveLength(3);
  });

  it("refuses the token for another year, as-of date or unit (and it is used up)", () => {
    const cache = cacheAt({ ms: 0 });
    for (const other of [{ year: 2023 }, { asOf: "2024-06-15" }, { unitId: 8 }]) {
      const token = cache.keep(minhang, rowsOf(3))!;
      expect(cache.take(token, { ...minhang, ...other })).toBeUndefined();
      expect(cache.take(token, minhang)).toBeUndefined();
    }
    expect(cache.rowsHeld).toBe(0);
  });

  it("answers nothing for an unknown token", () => {
    expect(cacheAt({ ms: 0 }).take("not-a-token", minhang)).toBeUndefined();
  });

  it("pushes the oldest rows out to stay within the rows it may hold", () => {
    const cache = cacheAt({ ms: 0 }, 100);
    const first = cache.keep(minhang, rowsOf(40))!;
    const second = cache.keep(minhang, rowsOf(40))!;
    const third = cache.keep(minhang, rowsOf(40))!;
    expect(cache.rowsHeld).toBe(80);
    expect(cache.take(first, minhang)).toBeUndefined();
    expect(cache.take(second, minhang)).toHaveLength(40);
    expect(cache.take(third, minhang)).toHaveLength(40);
  });

  it("keeps no rows that alone exceed the bound, and pushes nothing out for them", () => {
    const cache = cacheAt({ ms: 0 }, 100);
    const small = cache.keep(minhang, rowsOf(10))!;
    expect(cache.keep(minhang, rowsOf(101))).toBeNull();
    expect(cache.take(small, minhang)).toHaveLength(10);
  });

  it("drops rows not taken within their age", () => {
    const clock = { ms: 0 };
    const cache = cacheAt(clock);
    const old = cache.keep(minhang, rowsOf(5))!;
    clock.ms = 30_000;
    const recent = cache.keep(minhang, rowsOf(5))!;
    clock.ms = 60_000;
    expect(cache.take(old, minhang)).toBeUndefined();
    expect(cache.rowsHeld).toBe(5);
    clock.ms = 89_999;
    expect(cache.take(recent, minhang)).toHaveLength(5);
  });
});

describe("the grid's rows", () => {
  // A database that must not be reached: the rows the page kept come without a query.
  const noDatabase = new Proxy({}, { get: () => { throw new Error("the database was queried"); } }) as unknown as DB;
  const rows = rowsOf(2) as unknown as ExecutionRow[];

  it("come from the page's loader when its token, user and query match, without computing them again", async () => {
    const token = keepRowsForGrid(minhang, rows);
    expect(await rowsForGrid(noDatabase, minhang, token)).toBe(rows);
    // Used once: a reload of the grid computes its rows again.
    await expect(rowsForGrid(noDatabase, minhang, token)).rejects.toThrow("the database was queried");
  });

  it("are computed for another user's token, or without one", async () => {
    const token = keepRowsForGrid(minhang, rows);
    await expect(rowsForGrid(noDatabase, { ...minhang, userId: 99 }, token)).rejects.toThrow("the database was queried");
    await expect(rowsForGrid(noDatabase, minhang, null)).rejects.toThrow("the database was queried");
  });

  it("keep no token when the page has no rows", () => {
    expect(keepRowsForGrid(minhang, [])).toBeNull();
  });
});
