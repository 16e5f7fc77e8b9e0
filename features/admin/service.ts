import type { DB } from "../../db/pool.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import { getFlagThreshold, getGradeBands, setFlagThreshold, setGradeBands } from "../../db/settings.ts";
import { getFilingDeadlines, setFilingDeadlines, type FilingDeadlines, type FilingForm } from "../../db/settings.ts";
import { readFilingDeadlines } from "../todo/rules/index.ts";
import type { GradeBands } from "../../domain/execution.ts";
import { money } from "../../domain/money.ts";
import { msg, type Message } from "../../messages/index.ts";
import { addDeviationCause, listDeviationCauses, updateDeviationCause, type DeviationCauseRecord } from "../tracking/queries/causes.ts";
import { validateDeviationCauses, type DeviationCategory } from "../tracking/rules/index.ts";
import { textProblem } from "../../domain/text.ts";
import { timeRules, type BatchRules } from "../payments/service.ts";

/*
 * System administration (/admin) as the route uses it: the page's data, the city-wide flag threshold,
 * the self-evaluation's grade bands (评分等级), the filing deadlines of the to-do list (填报截止日), the payment
 * batches' time rules (shown here, changed through features/payments changeTimeRules) and the
 * deviation-cause catalogue of the tracking form (users are managed on /admin/users: ./users.ts). Each takes the database and the acting
 * administrator (already let through the route's guard for "administer") and returns an outcome whose
 * problems are messages, rendered in the user's language by the caller.
 */

/** The administrator acting, as the service needs them. */
export interface AdminActor extends AuditActor {
  userId: number;
  unitId: number;
  unitSubtree: readonly number[];
}

/** What a change ends in: done, or refused with a status and the problems (one or more messages). */
export type AdminOutcome = { kind: "done" } | { kind: "refused"; status: 400 | 404 | 409; problems: Message[] };

const refused = (status: 400 | 404 | 409, ...problems: Message[]): AdminOutcome => ({ kind: "refused", status, problems });

/** The flag threshold applies city-wide: only an administrator of a top-level unit may change it (or the catalogue). */
export async function isTopLevelAdmin(db: DB, unitId: number): Promise<boolean> {
  const unit = await db.selectFrom("org_unit").select("parent_id").where("id", "=", unitId).executeTakeFirst();
  return unit !== undefined && unit.parent_id === null;
}

/** The page: the threshold, the grade bands, the filing deadlines, the catalogue, and whether this administrator may change them. */
export async function adminPage(
  db: DB,
  admin: AdminActor,
): Promise<{
  threshold: string;
  gradeBands: GradeBands;
  causes: DeviationCauseRecord[];
  canSetThreshold: boolean;
  filingDeadlines: FilingDeadlines;
  /** The payment batches' time rules and the notices' warning days (features/payments; changed by changeTimeRules there). */
  timeRules: { rules: BatchRules; warningDays: number };
}> {
  const [threshold, bands, causes, canSetThreshold] = await Promise.all([
    getFlagThreshold(db),
    getGradeBands(db),
    listDeviationCauses(db, { includeInactive: true }),
    isTopLevelAdmin(db, admin.unitId),
  ]);
  const [filingDeadlines, rules] = await Promise.all([getFilingDeadlines(db), timeRules(db)]);
  const gradeBands = { 优: money(bands.优).toFixed(2), 良: money(bands.良).toFixed(2), 合格: money(bands.合格).toFixed(2) };
  return { threshold, gradeBands, causes, canSetThreshold, filingDeadlines, timeRules: rules };
}

/** Sets the flag threshold from the typed text: a percentage 0–100 with at most two decimals. */
export async function changeFlagThreshold(db: DB, admin: AdminActor, text: string): Promise<AdminOutcome> {
  const threshold = text.trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(threshold) || Number(threshold) > 100) return refused(400, msg("admThresholdInvalid"));
  const value = Number(threshold).toFixed(2);
  await withActor(db, admin, (trx) => setFlagThreshold(trx, value));
  return { kind: "done" };
}

/** A score 0–100 as typed: at most 3 digits and 2 decimals. */
const SCORE_TEXT = /^\d{1,3}(\.\d{1,2})?$/;

/**
 * Reads the grade bands as typed (each band's lowest total): numbers 0–100 with at most two
 * decimals, strictly descending (优 above 良 above 合格). Example: { 优: "90", 良: "80", 合格: "60" } →
 * { bands: { 优: "90.00", 良: "80.00", 合格: "60.00" } }; { 优: "80", 良: "85", 合格: "60" } → a problem.
 */
export function readGradeBands(texts: Readonly<Record<keyof GradeBands, string>>): { bands: GradeBands } | { problems: Message[] } {
  const problems: Message[] = [];
  const values: Partial<GradeBands> = {};
  for (const band of ["优", "良", "合格"] as const) {
    const text = texts[band].trim();
    if (!SCORE_TEXT.test(text) || money(text).greaterThan(100)) problems.push(msg("slBandInvalid", { band: msg(BAND_KEYS[band]), value: text }));
    else values[band] = money(text).toFixed(2);
  }
  if (problems.length > 0) return { problems };
  const bands = values as GradeBands;
  if (!(money(bands.优).greaterThan(bands.良) && money(bands.良).greaterThan(bands.合格))) return { problems: [msg("slBandsOrder")] };
  return { bands };
}

const BAND_KEYS = { 优: "seGradeExcellent", 良: "seGradeGood", 合格: "seGradePass" } as const;

/** Sets the self-evaluation's grade bands from the typed texts (see readGradeBands); audited as the threshold is. */
export async function changeGradeBands(db: DB, admin: AdminActor, texts: Readonly<Record<keyof GradeBands, string>>): Promise<AdminOutcome> {
  const read = readGradeBands(texts);
  if ("problems" in read) return refused(400, ...read.problems);
  await withActor(db, admin, (trx) => setGradeBands(trx, read.bands));
  return { kind: "done" };
}

/**
 * Sets the filing deadlines from the typed "MM-DD" texts (features/todo/rules readFilingDeadlines: the
 * tracking form's after 31 August, each a day every year has); audited as the threshold is.
 */
export async function changeFilingDeadlines(db: DB, admin: AdminActor, texts: Readonly<Record<FilingForm, string>>): Promise<AdminOutcome> {
  const read = readFilingDeadlines(texts);
  if ("problems" in read) return refused(400, ...read.problems);
  await withActor(db, admin, (trx) => setFilingDeadlines(trx, read.deadlines));
  return { kind: "done" };
}

/** A cause as typed in the catalogue's forms. */
export interface CauseInput {
  category: string;
  label: string;
}

function labelProblem(label: string): Message | null {
  return textProblem(label, msg("admCauseName"));
}

/** Adds a cause; the catalogue must stay valid, and a code added by someone else meanwhile is refused. */
export async function addCause(db: DB, admin: AdminActor, input: CauseInput & { code: string }): Promise<AdminOutcome> {
  const label = input.label.trim();
  const code = input.code.trim();
  const problem = labelProblem(label);
  if (problem !== null) return refused(400, problem);
  const existing = await listDeviationCauses(db, { includeInactive: true });
  const category = input.category as DeviationCategory;
  const problems = validateDeviationCauses([...existing, { code, category, label }]);
  if (problems.length > 0) return refused(400, ...problems);
  const added = await withActor(db, admin, (trx) => addDeviationCause(trx, { code, category, label }));
  return added ? { kind: "done" } : refused(409, msg("admCauseTaken", { code }));
}

/** Changes a cause's category, name and whether it may be chosen; the catalogue must stay valid. */
export async function updateCause(db: DB, admin: AdminActor, input: CauseInput & { id: number; active: boolean }): Promise<AdminOutcome> {
  const label = input.label.trim();
  const problem = labelProblem(label);
  if (problem !== null) return refused(400, problem);
  const existing = await listDeviationCauses(db, { includeInactive: true });
  const cause = existing.find((candidate) => candidate.id === input.id);
  if (!cause) return refused(404, msg("admCauseNotFound"));
  const category = input.category as DeviationCategory;
  const changed = existing.map((candidate) => (candidate.id === input.id ? { ...candidate, category, label } : candidate));
  const problems = validateDeviationCauses(changed);
  if (problems.length > 0) return refused(400, ...problems);
  await withActor(db, admin, (trx) => updateDeviationCause(trx, input.id, { category, label, active: input.active }));
  return { kind: "done" };
}
