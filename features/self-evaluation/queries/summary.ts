import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { Grade } from "../../../domain/execution.ts";
import { money, sumMoney, toAmountString } from "../../../domain/money.ts";
import { GRADES, listSelfEvaluations, listUnfiledSelfEvaluations, type SelfEvaluationListRow } from "./lists.ts";

/*
 * The self-evaluations of a year summed up by unit (绩效自评汇总), for the dashboard and the top of the
 * managers' list. A sheet counts as filed once it has been submitted (under review or accepted): its
 * grade, total and shortfalls are those it was submitted with. Drafts and returned sheets are still
 * being written; they count among the unit's projects only.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A filed project graded below 良 (合格 or 不合格), for a link to its sheet. */
export interface ProjectBelowGood {
  projectId: number;
  project: string;
  total: string;
  grade: Grade;
}

/** The figures of a unit, or of all the units together. */
export interface SelfEvaluationTally {
  /** Projects due a sheet: with a sheet of any status, or with a declaration or indicators (未填报). */
  projects: number;
  /** Sheets submitted, under review or accepted. */
  filed: number;
  accepted: number;
  /** Filed sheets per grade. */
  grades: Record<Grade, number>;
  /** The filed sheets' average total, 2 decimals half-up from the exact sum; null when none is filed. */
  averageTotal: string | null;
  belowGood: ProjectBelowGood[];
}

export interface UnitSelfEvaluationSummary extends SelfEvaluationTally {
  unitId: number;
  unit: string;
}

export interface SelfEvaluationSummary {
  year: number;
  units: UnitSelfEvaluationSummary[];
  total: SelfEvaluationTally;
}

const FILED = new Set(["submitted", "resubmitted", "accepted"]);
/** Units in the list's order (as the managers' list sorts them). */
const collator = new Intl.Collator("zh-CN");

function tally(sheets: readonly SelfEvaluationListRow[], unfiled: number): SelfEvaluationTally {
  const filed = sheets.filter((sheet) => FILED.has(sheet.status));
  const grades = Object.fromEntries(GRADES.map((grade) => [grade, filed.filter((sheet) => sheet.grade === grade).length])) as Record<Grade, number>;
  const averageTotal = filed.length === 0 ? null : toAmountString(sumMoney(filed.map((sheet) => sheet.total)).dividedBy(filed.length));
  return {
    projects: sheets.length + unfiled,
    filed: filed.length,
    accepted: filed.filter((sheet) => sheet.status === "accepted").length,
    grades,
    averageTotal,
    belowGood: filed
      .filter((sheet) => sheet.grade === "合格" || sheet.grade === "不合格")
      .sort((a, b) => money(a.total).comparedTo(b.total))
      .map((sheet) => ({ projectId: sheet.projectId, project: sheet.project, total: sheet.total, grade: sheet.grade })),
  };
}

/**
 * Per unit of the subtree with projects due in the year (by unit name, in pinyin order), and for all of them: the
 * projects due, the sheets filed and accepted, the count per grade, the average total and the
 * projects below 良. Example (the demo's 闵行区医疗保障局 2024): 11 filed and accepted, all 优, average 98.59.
 */
export async function selfEvaluationSummary(db: Queryable, options: { year: number; unitSubtree: readonly number[] }): Promise<SelfEvaluationSummary> {
  const [sheets, unfiled] = await Promise.all([
    listSelfEvaluations(db, { year: options.year, unitIds: options.unitSubtree }),
    listUnfiledSelfEvaluations(db, { year: options.year, unitIds: options.unitSubtree }),
  ]);
  const names = new Map<number, string>();
  for (const row of [...sheets, ...unfiled]) names.set(row.unitId, row.unit);
  const units = [...names]
    .sort(([, a], [, b]) => collator.compare(a, b))
    .map(([unitId, unit]) => ({
      unitId,
      unit,
      ...tally(
        sheets.filter((sheet) => sheet.unitId === unitId),
        unfiled.filter((row) => row.unitId === unitId).length,
      ),
    }));
  return { year: options.year, units, total: tally(sheets, unfiled.length) };
}
