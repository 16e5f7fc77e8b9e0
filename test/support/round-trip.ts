import { afterAll, beforeAll, inject } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freshDatabase } from "./database.ts";

type FreshDatabase = Awaited<ReturnType<typeof freshDatabase>>;

/**
 * What an export → import test needs: the seeded demo database to export from, an empty one to import
 * into, and a temporary directory for the files; made before the suite's tests, removed after them.
 * The fields are filled in by the suite's first beforeAll (register other hooks after this call).
 */
export function useRoundTrip(prefix: string): { source: FreshDatabase; target: FreshDatabase; temp: string } {
  const pair = {} as { source: FreshDatabase; target: FreshDatabase; temp: string };
  beforeAll(async () => {
    pair.source = await freshDatabase(inject("serverUrl"), { seed: true });
    pair.target = await freshDatabase(inject("serverUrl"));
    pair.temp = await mkdtemp(path.join(os.tmpdir(), prefix));
  }, 120_000);
  afterAll(async () => {
    await pair.source?.drop();
    await pair.target?.drop();
    if (pair.temp) await rm(pair.temp, { recursive: true, force: true });
  });
  return pair;
}
