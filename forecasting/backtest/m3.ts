/** One monthly series of the M3 competition; the last `horizon` values are its hold-out. */
export interface M3Series {
  id: string;
  category: string;
  startYear: number;
  startMonth: number;
  horizon: number;
  values: number[];
}

/**
 * Parses the CSV of the M3 monthly series (`id, n, h, category, start_year, start_month, values`, values
 * space-separated): parseM3Csv(text)[0].id → "N1402". Throws on a malformed row, naming its line.
 */
export function parseM3Csv(text: string): M3Series[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines[0]?.split(",").map((cell) => cell.trim());
  const expected = ["id", "n", "h", "category", "start_year", "start_month", "values"];
  if (!header || expected.some((name, i) => header[i] !== name)) {
    throw new Error(`not an M3 monthly CSV: the header must be ${expected.join(",")}`);
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(",");
    const [id, n, h, category, startYear, startMonth] = cells.map((cell) => cell.trim());
    const values = (cells.slice(6).join(" ") ?? "").trim().split(/\s+/).map(Number);
    const length = Number(n);
    const horizon = Number(h);
    if (!id || !category || values.length !== length || !(horizon > 0) || horizon >= length || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`line ${i + 2}: malformed M3 row (id ${id ?? "?"}, n ${n ?? "?"}, ${values.length} values)`);
    }
    return { id, category, startYear: Number(startYear), startMonth: Number(startMonth), horizon, values };
  });
}
