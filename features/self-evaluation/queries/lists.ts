import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, TrackingFormStatus } from "../../../db/schema.ts";
import { getGradeBands } from "../../../db/settings.ts";
import { grade as gradeOf, type Grade, type GradeBands } from "../../../domain/execution.ts";
import { money } from "../../../domain/money.ts";
import { isEditable, WORKFLOW_STATES } from "../../workflow/rules.ts";

/*
 * The self-evaluations of a year (绩效自评表 一览), for the managers' list, the summary and the CLI: per
 * sheet the scores as saved (entered) and by the rule, with each departure from the rule; and the
 * projects due a sheet that have none yet (未填报). A draft or returned sheet is graded by the bands in
 * force (its total as saved); one under review or accepted keeps the grade it was submitted with.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** A departure as stored: the row's score entered against the rule's. */
export interface StoredDeparture {
  name: string;
  weight: string | null;
  score: string;
  ruleScore: string;
  reason: string | null;
}

export interface SelfEvaluationListRow {
  evaluationId: number;
  projectId: number;
  project: string;
  unitId: number;
  unit: string;
  status: TrackingFormStatus;
  fundScore: string;
  indicatorScore: string;
  total: string;
  grade: Grade;
  ruleTotal: string;
  departures: StoredDeparture[];
  /** Last saved or moved, Shanghai time: 2025-01-20 10:30. */
  updatedAt: string;
}

/** The unit ids as a filter: undefined for every unit, an empty list for none. */
const inUnits = (unitIds: readonly number[]) => (unitIds.length > 0 ? [...unitIds] : [-1]);

/**
 * The sheets of a fiscal year (within the units given, if any), by unit and project. Drafts and
 * returned sheets are graded by `gradeBands`, else by the stored setting.
 */
export async function listSelfEvaluations(
  db: Queryable,
  options: { year: number; unitIds?: readonly number[]; gradeBands?: Readonly<GradeBands> },
): Promise<SelfEvaluationListRow[]> {
  let query = db
    .selectFrom("self_evaluation as e")
    .innerJoin("project as p", "p.id", "e.project_id")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select([
      "e.id as evaluationId",
      "p.id as projectId",
      "p.name as project",
      "u.id as unitId",
      "u.name as unit",
      "e.status",
      "e.fund_score as fundScore",
      "e.indicator_score as indicatorScore",
      "e.total_score as total",
      "e.grade",
      "e.rule_total as ruleTotal",
      sql<string>`to_char(e.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`.as("updatedAt"),
    ])
    .where("p.fiscal_year", "=", options.year);
  if (options.unitIds !== undefined) query = query.where("p.unit_id", "in", inUnits(options.unitIds));
  const sheets = await query.orderBy("u.name").orderBy("p.name").orderBy("p.id").execute();
  if (sheets.length === 0) return [];
  const [departures, bands] = await Promise.all([
    db
      .selectFrom("self_evaluation_indicator")
      .select(["evaluation_id as evaluationId", "name", "weight", sql<string>`score::text`.as("score"), sql<string>`rule_score::text`.as("ruleScore"), "score_reason as reason"])
      .where(
        "evaluation_id",
        "in",
        sheets.map((sheet) => sheet.evaluationId),
      )
      .where("score", "is not", null)
      .where("rule_score", "is not", null)
      .where(sql<boolean>`score <> rule_score`)
      .orderBy("evaluation_id")
      .orderBy("sort_order")
      .execute(),
    options.gradeBands ?? getGradeBands(db),
  ]);
  return sheets.map((sheet) => ({
    ...sheet,
    grade: isEditable(sheet.status) ? gradeOf(sheet.total, bands) : sheet.grade,
    departures: departures.filter((row) => row.evaluationId === sheet.evaluationId).map(({ evaluationId: _id, ...row }) => row),
  }));
}

/** A project due a self-evaluation (it has a declaration or indicators of the year) that has no sheet yet. */
export interface UnfiledSelfEvaluation {
  projectId: number;
  project: string;
  unitId: number;
  unit: string;
}

/** The projects of a fiscal year (within the units) with a declaration or indicators and no sheet (未填报), by unit and project. */
export async function listUnfiledSelfEvaluations(db: Queryable, options: { year: number; unitIds: readonly number[] }): Promise<UnfiledSelfEvaluation[]> {
  if (options.unitIds.length === 0) return [];
  return db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select(["p.id as projectId", "p.name as project", "u.id as unitId", "u.name as unit"])
    .where("p.fiscal_year", "=", options.year)
    .where("p.unit_id", "in", inUnits(options.unitIds))
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("performance_declaration as d").select("d.id").whereRef("d.project_id", "=", "p.id")),
        eb.exists(eb.selectFrom("performance_indicator as i").select("i.id").whereRef("i.project_id", "=", "p.id")),
      ]),
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom("self_evaluation as e").select("e.id").whereRef("e.project_id", "=", "p.id"))))
    .orderBy("u.name")
    .orderBy("p.name")
    .orderBy("p.id")
    .execute();
}

/** The fiscal years (latest first) in which projects of the units have a self-evaluation, a declaration or indicators. */
export async function selfEvaluationYears(db: Queryable, unitIds: readonly number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom("project as p")
    .select("p.fiscal_year as year")
    .distinct()
    .where("p.unit_id", "in", inUnits(unitIds))
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("self_evaluation as e").select("e.id").whereRef("e.project_id", "=", "p.id")),
        eb.exists(eb.selectFrom("performance_declaration as d").select("d.id").whereRef("d.project_id", "=", "p.id")),
        eb.exists(eb.selectFrom("performance_indicator as i").select("i.id").whereRef("i.project_id", "=", "p.id")),
      ]),
    )
    .orderBy("p.fiscal_year", "desc")
    .execute();
  return rows.map((row) => row.year);
}

/** A sheet's status on the list: a workflow state, or 未填报 (no sheet yet). */
export type ListStatus = TrackingFormStatus | "unfiled";
export const LIST_STATUSES: readonly ListStatus[] = [...WORKFLOW_STATES, "unfiled"];
export const GRADES: readonly Grade[] = ["优", "良", "合格", "不合格"];

/** One row of the managers' list: a sheet, or a project without one (its scores and grade null). */
export interface SelfEvaluationListEntry {
  projectId: number;
  project: string;
  unit: string;
  status: ListStatus;
  fundScore: string | null;
  indicatorScore: string | null;
  total: string | null;
  grade: Grade | null;
  /** How many entered scores depart from the rule (偏离规则). */
  departures: number;
  updatedAt: string | null;
}

/**
 * The managers' list (/self-evaluations): the year's sheets and the projects without one, within the
 * units, of one status (未填报 included) and one grade when given.
 */
export async function selfEvaluationList(
  db: Queryable,
  options: { year: number; unitIds: readonly number[]; status?: ListStatus; grade?: Grade },
): Promise<SelfEvaluationListEntry[]> {
  const { status, grade } = options;
  const wantSheets = status !== "unfiled";
  const wantUnfiled = (status === undefined || status === "unfiled") && grade === undefined;
  const [sheets, unfiled] = await Promise.all([
    wantSheets ? listSelfEvaluations(db, { year: options.year, unitIds: options.unitIds }) : [],
    wantUnfiled ? listUnfiledSelfEvaluations(db, { year: options.year, unitIds: options.unitIds }) : [],
  ]);
  const entries: SelfEvaluationListEntry[] = [
    ...sheets
      .filter((row) => (status === undefined || row.status === status) && (grade === undefined || row.grade === grade))
      .map((row) => ({
        projectId: row.projectId,
        project: row.project,
        unit: row.unit,
        status: row.status,
        fundScore: row.fundScore,
        indicatorScore: row.indicatorScore,
        total: row.total,
        grade: row.grade,
        departures: row.departures.length,
        updatedAt: row.updatedAt,
      })),
    ...unfiled.map((row) => ({
      projectId: row.projectId,
      project: row.project,
      unit: row.unit,
      status: "unfiled" as const,
      fundScore: null,
      indicatorScore: null,
      total: null,
      grade: null,
      departures: 0,
      updatedAt: null,
    })),
  ];
  return sortListEntries(entries, "unit", "asc");
}

/** The columns the list sorts by. */
export const LIST_SORT_KEYS = ["project", "unit", "status", "fundScore", "indicatorScore", "total", "grade", "departures", "updatedAt"] as const;
export type ListSortKey = (typeof LIST_SORT_KEYS)[number];

const collator = new Intl.Collator("zh-CN");

/** The value an entry is sorted by; null for none (a project without a sheet has no scores, grade or date). */
function sortValue(entry: SelfEvaluationListEntry, key: ListSortKey): string | number | null {
  switch (key) {
    case "status":
      return LIST_STATUSES.indexOf(entry.status);
    case "grade":
      return entry.grade === null ? null : GRADES.indexOf(entry.grade);
    case "departures":
      return entry.status === "unfiled" ? null : entry.departures;
    default:
      return entry[key];
  }
}

function compareValues(key: ListSortKey, left: string | number, right: string | number): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (key === "fundScore" || key === "indicatorScore" || key === "total") return money(left).comparedTo(right);
  return collator.compare(String(left), String(right));
}

/**
 * The entries sorted by a column (scores compared exactly; grades 优 first ascending), ties by unit then
 * project; entries without a value (未填报 for scores, grade, departures and date) last either way.
 */
export function sortListEntries(entries: readonly SelfEvaluationListEntry[], key: ListSortKey, direction: "asc" | "desc"): SelfEvaluationListEntry[] {
  const sign = direction === "asc" ? 1 : -1;
  const ties = (a: SelfEvaluationListEntry, b: SelfEvaluationListEntry) => collator.compare(a.unit, b.unit) || collator.compare(a.project, b.project) || a.projectId - b.projectId;
  return [...entries].sort((a, b) => {
    const left = sortValue(a, key);
    const right = sortValue(b, key);
    if (left === null || right === null) return left === right ? ties(a, b) : left === null ? 1 : -1;
    return sign * compareValues(key, left, right) || ties(a, b);
  });
}
