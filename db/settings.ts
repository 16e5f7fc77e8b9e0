import type { Kysely, Transaction } from "kysely";
import type { DB } from "./pool.ts";
import type { Database } from "./schema.ts";
import { DEFAULT_FLAG_THRESHOLD, DEFAULT_GRADE_BANDS, type GradeBands } from "../domain/execution.ts";

type Queryable = Kysely<Database> | Transaction<Database>;

/** The execution-rate threshold below which a project is flagged (setting flag_threshold, default 75.00). */
export async function getFlagThreshold(db: DB): Promise<string> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", "flag_threshold").executeTakeFirst();
  return row?.value ?? DEFAULT_FLAG_THRESHOLD;
}

/** Sets the flag threshold (a percentage with up to 2 decimals, 0–100), as the given transaction's actor. */
export async function setFlagThreshold(db: Queryable, value: string): Promise<void> {
  await db
    .insertInto("setting")
    .values({ key: "flag_threshold", value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
}

/** Each band's lowest total as stored: "90.00" (up to 3 digits and 2 decimals). */
const STORED_BAND = /^\d{1,3}(\.\d{1,2})?$/;

/**
 * The self-evaluation's grade bands (setting grade_bands, JSON {"优":"90.00","良":"80.00","合格":"60.00"}),
 * Shanghai's (DEFAULT_GRADE_BANDS) when none is stored or the stored value cannot be read.
 */
export async function getGradeBands(db: Queryable): Promise<GradeBands> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", "grade_bands").executeTakeFirst();
  if (!row) return { ...DEFAULT_GRADE_BANDS };
  try {
    const stored = JSON.parse(row.value) as Partial<Record<keyof GradeBands, unknown>>;
    const bands = { 优: stored.优, 良: stored.良, 合格: stored.合格 };
    if (Object.values(bands).every((value) => typeof value === "string" && STORED_BAND.test(value))) return bands as GradeBands;
  } catch {
    // An unreadable value falls back to the defaults, as a missing one does.
  }
  return { ...DEFAULT_GRADE_BANDS };
}

/** Sets the grade bands (already checked: descending, 0–100, 2 decimals), as the given transaction's actor. */
export async function setGradeBands(db: Queryable, bands: Readonly<GradeBands>): Promise<void> {
  const value = JSON.stringify({ 优: bands.优, 良: bands.良, 合格: bands.合格 });
  await db
    .insertInto("setting")
    .values({ key: "grade_bands", value })
    .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
    .execute();
}

/** The forms a filing deadline applies to: the tracking form of 31 August (运行监控表) and the year-end self-evaluation (绩效自评表). */
export type FilingForm = "tracking" | "selfEvaluation";

/** The filing deadlines as "MM-DD": the tracking form's in the project's year, the self-evaluation's in the year after. */
export type FilingDeadlines = Record<FilingForm, string>;

/** 15 September of the project's year (运行监控表 of 31 August); 31 March of the next year (绩效自评表). */
export const DEFAULT_FILING_DEADLINES: Readonly<FilingDeadlines> = { tracking: "09-15", selfEvaluation: "03-31" };

const FILING_DEADLINE_KEYS: Readonly<Record<FilingForm, string>> = { tracking: "tracking_filing_deadline", selfEvaluation: "self_evaluation_filing_deadline" };

/** A stored "MM-DD" (checked when set: features/todo/rules); anything else reads as the default. */
const STORED_MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * The filing deadlines (settings tracking_filing_deadline and self_evaluation_filing_deadline, "MM-DD"),
 * each the default (DEFAULT_FILING_DEADLINES) when none is stored or the stored value cannot be read.
 */
export async function getFilingDeadlines(db: Queryable): Promise<FilingDeadlines> {
  const rows = await db.selectFrom("setting").select(["key", "value"]).where("key", "in", Object.values(FILING_DEADLINE_KEYS)).execute();
  const stored = (form: FilingForm) => rows.find((row) => row.key === FILING_DEADLINE_KEYS[form])?.value;
  const read = (form: FilingForm) => {
    const value = stored(form);
    return value !== undefined && STORED_MONTH_DAY.test(value) ? value : DEFAULT_FILING_DEADLINES[form];
  };
  return { tracking: read("tracking"), selfEvaluation: read("selfEvaluation") };
}

/** Sets the filing deadlines (already checked: "MM-DD", a day of every year), as the given transaction's actor. */
export async function setFilingDeadlines(db: Queryable, deadlines: Readonly<FilingDeadlines>): Promise<void> {
  for (const form of ["tracking", "selfEvaluation"] as const) {
    const value = deadlines[form];
    await db
      .insertInto("setting")
      .values({ key: FILING_DEADLINE_KEYS[form], value })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
      .execute();
  }
}
