// The one file of the backtest that touches Node: reading the M3 CSV from disk.
import { readFile } from "node:fs/promises";
import { parseM3Csv, type M3Series } from "./m3.ts";

/** Reads and parses an M3 monthly CSV file: await readM3File("m3-monthly.csv") → 1,428 series. */
export async function readM3File(path: string): Promise<M3Series[]> {
  return parseM3Csv(await readFile(path, "utf8"));
}
