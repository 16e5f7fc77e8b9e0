import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../../db/pool.ts";
import type { Database, TrackingFormStatus } from "../../../db/schema.ts";
import { getProjectSummaryLedger, type ProjectHeader } from "../../../db/projects.ts";
import { getFlagThreshold } from "../../../db/settings.ts";
import { isIsoDate } from "../../../domain/dates.ts";
import { money, sumMoney } from "../../../domain/money.ts";
import { projectExecution } from "../../../domain/project-execution.ts";
import type { Judgement } from "../../../domain/targets.ts";
import {
  estimateFullYear,
  evaluateTrackingForm,
  isFrozen,
  isSnapshotState,
  type IndicatorEvaluation,
  type TrackingEvaluation,
  type TrackingFormFields,
  type TrackingIndicatorFields,
} from "../rules/index.ts";
import { listDeviationCauses, type DeviationCauseRecord } from "./causes.ts";
import {
  formRevisions,
  getTrackingForm,
  type TrackingEventRecord,
  type TrackingFormWrite,
  type TrackingIndicatorRecord,
  type TrackingIndicatorWrite,
} from "./forms.ts";

/*
 * Assembles a tracking form (运行监控表) for the form page, the print view and the export: the
 * ledger figures as of the period end, the full-year estimate, the indicator rows and everything the
 * rules compute from them. A revision under review or accepted (submitted, resubmitted, accepted)
 * shows its stored snapshot — figures, indicator rows, annual targets — exactly as it was submitted;
 * only an unsaved, draft or returned one follows the ledger and the declaration live. The app
 * (through features/tracking/service.ts and the routes tracking-form, tracking-print, tracking-export) and the demo seed (db/seed.ts) both use it, so a seeded form holds
 * exactly the figures the live form computes.
 */

/** An indicator row on the page: the stored (or fresh) row, its field key and its computed reading. */
export interface IndicatorRowView extends TrackingIndicatorRecord {
  key: string;
  reading: IndicatorEvaluation;
}

export interface TrackingFormView {
  project: ProjectHeader;
  periodStart: string;
  periodEnd: string;
  revisions: Array<{ id: number; revision: number; status: TrackingFormStatus }>;
  /** The revision shown; null for a form not saved yet. */
  formId: number | null;
  revision: number;
  status: TrackingFormStatus | null;
  version: number | null;
  /** Accepted: no longer editable (a change needs a new revision). */
  frozen: boolean;
  /** Submitted, resubmitted or accepted: shown from its stored snapshot, not the live ledger. */
  snapshot: boolean;
  /** True when this is the newest revision of the period. */
  latest: boolean;
  budget: string;
  executed: string;
  threshold: string;
  /** 全年预计执行数 as estimateFullYear pre-fills it, and how. */
  prefill: string;
  /**
   * profile: last year's payment profile; no-previous-year / none-by-then: batches linear, transfers as paid (no such
   * year, or nothing paid by the same month then); nothing-paid: nothing paid this year yet, the budget offered.
   */
  prefillMethod: "profile" | "no-previous-year" | "none-by-then" | "nothing-paid";
  fields: TrackingFormFields;
  indicators: IndicatorRowView[];
  evaluation: TrackingEvaluation;
  reviewComment: string | null;
  updatedAt: string | null;
  events: TrackingEventRecord[];
  /** Every cause (inactive ones too, for the labels of old forms). */
  causes: DeviationCauseRecord[];
}

/** A form with nothing typed in yet. */
export const EMPTY_FIELDS: TrackingFormFields = {
  adjustmentNeeded: null,
  adjustedBudget: null,
  adjustmentDecrease: null,
  adjustmentIncrease: null,
  preAssessmentBudget: null,
  keyTrackingReason: null,
  basicInfo: null,
  implementationStatus: null,
  executionCauseCode: null,
  executionCause: null,
  executionMeasure: null,
  estimatedFullYear: null,
  estimatedFullYearReason: null,
  budgetLikelihood: null,
  targetLikelihood: null,
  problems: null,
  measures: null,
  leaderSignature: null,
  performanceLeadSignature: null,
  preparerSignature: null,
  otherNotes: null,
  filledOn: null,
};

/** The default tracking period's end (31 August of the project's year), or the requested one when it lies in that year. */
export function periodEndOf(fiscalYear: number, requested: string | null): { periodEnd: string; invalid: boolean } {
  const fallback = `${fiscalYear}-08-31`;
  if (requested === null || requested === "") return { periodEnd: fallback, invalid: false };
  if (isIsoDate(requested) && requested.startsWith(`${fiscalYear}-`)) return { periodEnd: requested, invalid: false };
  return { periodEnd: fallback, invalid: true };
}

/**
 * Loads a project's tracking form for the period ending on periodEnd: the requested revision, else the
 * newest, else a fresh unsaved form pre-filled from the ledger. Undefined when there is no such
 * project or revision.
 */
export async function loadTrackingForm(
  db: DB,
  projectId: number,
  options: { periodEnd: string | null; revision?: number | null; overrides?: { fields: TrackingFormFields; indicators: TrackingIndicatorFields[] } },
): Promise<TrackingFormView | undefined> {
  // Payments added up in the database (a project may hold 200,000 of them), not loaded one by one.
  const ledger = await getProjectSummaryLedger(db, projectId);
  if (!ledger) return undefined;
  const { project } = ledger;
  const { periodEnd } = periodEndOf(project.fiscalYear, options.periodEnd);
  const revisions = await formRevisions(db, projectId, periodEnd);
  const chosen = options.revision ? revisions.find((candidate) => candidate.revision === options.revision) : revisions[0];
  if (options.revision && !chosen) return undefined;
  const stored = chosen ? await getTrackingForm(db, chosen.id) : undefined;
  const form = stored?.form;
  const frozen = form !== undefined && isFrozen(form.status);
  const snapshot = form !== undefined && isSnapshotState(form.status);

  const live = projectExecution({ fiscalYear: project.fiscalYear, lines: ledger.lines, adjustments: ledger.adjustments, payments: ledger.paymentGroups }, periodEnd).figures;
  const budget = snapshot ? form.budget : live.adjusted;
  const executed = snapshot ? form.executed : live.executed;
  const threshold = snapshot ? form.threshold : await getFlagThreshold(db);
  const monthly = await previousYearMonthly(db, projectId);
  const month = Number(periodEnd.slice(5, 7));
  // Nothing paid yet: any pace gives 0.00, which nobody means; the budget is offered instead (马桥 2023 on 31 August).
  const nothingPaid = !money(executed).greaterThan(0);
  // Transfers (划拨) executed by then, by the one definition of executed: all payments less the batches alone.
  const batchesOnly = projectExecution(
    { fiscalYear: project.fiscalYear, lines: ledger.lines, adjustments: ledger.adjustments, payments: ledger.paymentGroups.filter((group) => group.kind === "batch") },
    periodEnd,
  ).figures.executed;
  const transfers = money(live.executed).minus(batchesOnly).toFixed(2);
  const computedPrefill = nothingPaid ? budget : estimateFullYear(monthly ?? Array.from({ length: 12 }, () => "0.00"), executed, month, transfers);
  const prefill = snapshot ? (form.estimatedFullYearPrefill ?? computedPrefill) : computedPrefill;
  // estimateFullYear falls back to a linear pace when last year had paid nothing by the same month.
  const prefillMethod: TrackingFormView["prefillMethod"] = nothingPaid
    ? "nothing-paid"
    : monthly === null
      ? "no-previous-year"
      : sumMoney(monthly.slice(0, month)).greaterThan(0)
        ? "profile"
        : "none-by-then";

  // An editable form follows the project's current indicators; one under review or accepted keeps its snapshot.
  const storedById = new Map((stored?.indicators ?? []).map((row) => [row.indicatorId, row]));
  const baseRows: Array<TrackingIndicatorRecord & { key: string }> = snapshot
    ? stored!.indicators.map((row) => ({ ...row, key: row.indicatorId === null ? `s${row.sortOrder}` : String(row.indicatorId) }))
    : ledger.indicators.map((indicator, index) => {
        const saved = storedById.get(indicator.id);
        return {
          key: String(indicator.id),
          indicatorId: indicator.id,
          sortOrder: index + 1,
          level1: indicator.level1,
          level2: indicator.level2,
          name: indicator.name,
          annualTarget: indicator.target,
          tracked: saved?.tracked ?? true,
          untrackedReason: saved?.untrackedReason ?? null,
          dueTarget: saved ? saved.dueTarget : indicator.target,
          actual: saved?.actual ?? null,
          judgement: saved?.judgement ?? null,
          description: saved?.description ?? null,
          completion: saved?.completion ?? null,
          met: saved?.met ?? null,
          deviation: saved?.deviation ?? null,
          estimatedFullYear: saved?.estimatedFullYear ?? null,
          causeCode: saved?.causeCode ?? null,
          cause: saved?.cause ?? null,
          measure: saved?.measure ?? null,
          rectify: saved?.rectify ?? null,
          rectifyAdvice: saved?.rectifyAdvice ?? null,
        };
      });
  let fields: TrackingFormFields = form ? pickFields(form) : EMPTY_FIELDS;
  let rows = baseRows;
  if (options.overrides && !snapshot) {
    fields = options.overrides.fields;
    const typed = new Map(options.overrides.indicators.map((row) => [row.indicatorId, row]));
    rows = baseRows.map((row) => {
      const change = typed.get(row.key);
      return change ? { ...row, ...change, indicatorId: row.indicatorId, key: row.key } : row;
    });
  }

  const causes = await listDeviationCauses(db, { includeInactive: true });
  const evaluation = evaluateTrackingForm({
    budget,
    executed,
    threshold,
    execution: { causeCode: fields.executionCauseCode, cause: fields.executionCause, measure: fields.executionMeasure },
    indicators: rows.map((row) => ({
      indicatorId: row.key,
      name: row.name,
      annualTarget: row.annualTarget,
      dueTarget: row.dueTarget,
      tracked: row.tracked,
      untrackedReason: row.untrackedReason,
      actual: row.actual,
      judgement: row.judgement as Judgement | null,
      causeCode: row.causeCode,
      cause: row.cause,
      measure: row.measure,
    })),
    adjustmentNeeded: fields.adjustmentNeeded,
    adjustment: { adjustedBudget: fields.adjustedBudget, decrease: fields.adjustmentDecrease, increase: fields.adjustmentIncrease },
    budgetCompletionLikelihood: fields.budgetLikelihood,
    targetCompletionLikelihood: fields.targetLikelihood,
    estimatedFullYearExecution: fields.estimatedFullYear ?? prefill,
    estimatedFullYearPrefill: prefill,
    estimatedFullYearReason: fields.estimatedFullYearReason,
    causes: causes.filter((cause) => cause.active || snapshot),
  });

  return {
    project,
    periodStart: form?.periodStart ?? `${project.fiscalYear}-01-01`,
    periodEnd,
    revisions: revisions.map(({ id, revision, status }) => ({ id, revision, status })),
    formId: form?.id ?? null,
    revision: form?.revision ?? 1,
    status: form?.status ?? null,
    version: form?.version ?? null,
    frozen,
    snapshot,
    latest: form === undefined || revisions[0]?.id === form.id,
    budget,
    executed,
    threshold,
    prefill,
    prefillMethod,
    fields,
    indicators: rows.map((row, index) => ({ ...row, reading: evaluation.indicators[index]! })),
    evaluation,
    reviewComment: form?.reviewComment ?? null,
    updatedAt: form?.updatedAt ?? null,
    events: stored?.events ?? [],
    causes,
  };
}

function pickFields(form: TrackingFormFields): TrackingFormFields {
  const fields = { ...EMPTY_FIELDS };
  for (const key of Object.keys(EMPTY_FIELDS) as Array<keyof TrackingFormFields>) (fields as Record<string, unknown>)[key] = form[key];
  return fields;
}

/** What a save writes for the view as evaluated: the typed fields, the ledger snapshot and each row's computed reading. */
export function trackingWrite(view: TrackingFormView): { values: TrackingFormWrite; indicators: TrackingIndicatorWrite[] } {
  return {
    values: {
      ...view.fields,
      budget: view.budget,
      executed: view.executed,
      executionRate: view.evaluation.executionRate,
      threshold: view.threshold,
      stageConclusion: view.evaluation.conclusion,
      estimatedFullYear: view.fields.estimatedFullYear ?? view.prefill,
      estimatedFullYearPrefill: view.prefill,
    },
    indicators: view.indicators.map(({ key: _key, reading, sortOrder: _sortOrder, ...row }) => ({
      ...row,
      completion: reading.completion,
      met: reading.met,
      // A quantitative row's deviation is computed; a qualitative one's is described.
      deviation: reading.qualitative ? row.deviation : reading.deviation,
    })),
  };
}

type Queryable = Kysely<Database> | Transaction<Database>;

/** The twelve monthly executed amounts of the same project (unit and name) the year before, or null when there is none. */
export async function previousYearMonthly(db: Queryable, projectId: number): Promise<string[] | null> {
  const previous = await db
    .selectFrom("project as p")
    .innerJoin("project as q", (join) =>
      join.onRef("q.unit_id", "=", "p.unit_id").onRef("q.name", "=", "p.name").on(sql<boolean>`q.fiscal_year = p.fiscal_year - 1`),
    )
    .select(["q.id", "q.fiscal_year as year"])
    .where("p.id", "=", projectId)
    .orderBy("q.id")
    .executeTakeFirst();
  if (!previous) return null;
  const rows = await db
    .selectFrom("execution_monthly")
    .select([sql<number>`extract(month FROM month)::int`.as("month"), "executed"])
    .where("project_id", "=", previous.id)
    .execute();
  const monthly = Array.from({ length: 12 }, () => "0.00");
  for (const row of rows) monthly[row.month - 1] = row.executed;
  return monthly;
}
