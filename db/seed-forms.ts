import type { Transaction } from "kysely";
import type { Database } from "./schema.ts";
import demoTrackingForms from "./demo/tracking-forms.json" with { type: "json" };
import demoSelfEvaluations from "./demo/self-evaluations.json" with { type: "json" };
import { setActor, SYSTEM_ACTOR } from "./audit.ts";
import { decide, type Role } from "../domain/permissions.ts";
import type { StageConclusion, TrackingFormFields, TrackingIndicatorFields } from "../features/tracking/rules/index.ts";
import { createTrackingForm, moveTrackingForm } from "../features/tracking/queries/forms.ts";
import { EMPTY_FIELDS, loadTrackingForm, trackingWrite } from "../features/tracking/queries/view.ts";
import { unitSubtreeIds } from "./units.ts";
import { render } from "../messages/index.ts";
import type { Judgement } from "../domain/targets.ts";
import { createSelfEvaluation, moveSelfEvaluation } from "../features/self-evaluation/queries/sheets.ts";
import { loadSelfEvaluation, selfEvaluationWrite, type SelfEvaluationEntry } from "../features/self-evaluation/queries/view.ts";
import { closeItem } from "../features/rectification/queries/items.ts";
import { raiseRectificationItems } from "../features/rectification/queries/raise.ts";

/*
 * The demo's filed performance forms (db/seed.ts calls them after the ledger and the users): the
 * 运行监控表 of db/demo/tracking-forms.json and the 绩效自评表 of db/demo/self-evaluations.json, each
 * filed as its users would in the app and checked against the figures its paper prints.
 */

/**
 * A 运行监控表 of the demo data (db/demo/tracking-forms.json): what its paper form has typed in (the
 * other fields stay blank; indicators by 三级指标), who submitted and who accepted it, and the
 * figures the paper prints, which the ledger must reproduce.
 */
export interface DemoTrackingForm {
  periodEnd: string;
  submittedBy: string;
  /** The reviewer who accepted it; null leaves it submitted. */
  acceptedBy: string | null;
  reviewComment: string | null;
  document: { budget: string; executed: string; executionRate: string | null; stageConclusion: StageConclusion };
  fields: Partial<TrackingFormFields>;
  indicators: Record<string, Partial<Omit<TrackingIndicatorFields, "indicatorId">>>;
}

/**
 * A 绩效自评表 of the demo data (db/demo/self-evaluations.json): what its paper sheet has typed in (实际完成情况,
 * and per indicator in the declaration's order its 实际完成值 or judgement, 得分, the reason for a score
 * departing from the rule and 偏差原因分析及改进措施), who submitted and who accepted it, and the figures the
 * paper prints, which the ledger and the rules must reproduce.
 */
export interface DemoSelfEvaluation {
  /** Saved as a draft by `submittedBy`, not submitted (and not checked against the rules or a paper). */
  draft?: boolean;
  submittedBy: string;
  acceptedBy: string | null;
  reviewComment: string | null;
  printed?: { executionRate: string; fundScore: string; total: string; grade: string };
  actualSummary: string | null;
  indicators: Array<{ name: string; actual?: string; judgement?: Judgement; score?: string; scoreReason?: string; deviationAnalysis?: string }>;
  /** The rectification items the acceptance raised, closed by the submitter with this evidence and date. */
  rectified?: { evidence: string; on: string };
}

/** The filed 运行监控表 (db/demo/tracking-forms.json), keyed by project key; "_about" describes the file. */
export const DEMO_TRACKING_FORMS = Object.entries(demoTrackingForms).filter(([key]) => key !== "_about") as Array<[string, DemoTrackingForm]>;
/** The filed 绩效自评表 (db/demo/self-evaluations.json), keyed by project key; "_about" describes the file. */
export const DEMO_SELF_EVALUATIONS = Object.entries(demoSelfEvaluations).filter(([key]) => key !== "_about") as Array<[string, DemoSelfEvaluation]>;

export interface DemoUserRecord {
  id: number;
  username: string;
  roles: readonly Role[];
  unitId: number;
}

/**
 * Files a demo 运行监控表 as its users would in the app: the view the form page assembles from the
 * ledger with the paper's fields typed in (db/tracking-view.ts), saved as a draft and submitted by
 * the submitter, then accepted by the reviewer, each step checked against the roles and units the
 * app's actions check and recorded in the status history and the audit trail under that user's name.
 * Refuses a form that could not be submitted, or whose ledger figures differ from the paper's.
 */
export async function fileTrackingForm(
  trx: Transaction<Database>,
  key: string,
  form: DemoTrackingForm,
  projectIds: ReadonlyMap<string, number>,
  users: ReadonlyMap<string, DemoUserRecord>,
): Promise<void> {
  const fail = (reason: string): never => {
    throw new Error(`demo tracking form ${key}: ${reason}`);
  };
  const projectId = projectIds.get(key) ?? fail("unknown project");
  const unknownFields = Object.keys(form.fields).filter((field) => !(field in EMPTY_FIELDS));
  if (unknownFields.length > 0) fail(`unknown fields ${unknownFields.join(", ")}`);
  const blank = (await loadTrackingForm(trx, projectId, { periodEnd: form.periodEnd })) ?? fail("project not found");
  if (blank.periodEnd !== form.periodEnd) fail(`period end ${form.periodEnd} is not a date of the project's year`);
  const names = new Set(blank.indicators.map((row) => row.name));
  const unknownIndicators = Object.keys(form.indicators).filter((name) => !names.has(name));
  if (unknownIndicators.length > 0) fail(`unknown indicators ${unknownIndicators.join(", ")}`);
  const indicators = blank.indicators.map((row): TrackingIndicatorFields => ({
    tracked: true,
    untrackedReason: null,
    dueTarget: null,
    actual: null,
    judgement: null,
    description: null,
    deviation: null,
    estimatedFullYear: null,
    causeCode: null,
    cause: null,
    measure: null,
    rectify: null,
    rectifyAdvice: null,
    ...(form.indicators[row.name] ?? fail(`indicator ${row.name} is not listed`)),
    indicatorId: row.key,
  }));
  const view =
    (await loadTrackingForm(trx, projectId, { periodEnd: form.periodEnd, overrides: { fields: { ...EMPTY_FIELDS, ...form.fields }, indicators } })) ??
    fail("project not found");
  const problems = view.evaluation.problems.map((problem) => problem.message);
  if (problems.length > 0) fail(`cannot be submitted: ${problems.join("; ")}`);
  const computed = { budget: view.budget, executed: view.executed, executionRate: view.evaluation.executionRate, stageConclusion: view.evaluation.conclusion };
  for (const [figure, value] of Object.entries(computed)) {
    const printed = form.document[figure as keyof typeof computed];
    if (value !== printed) fail(`${figure} is ${value} by the ledger, but the paper form has ${printed}`);
  }

  const actorFor = async (username: string, permission: "submit-form" | "review-form") => {
    const user = users.get(username) ?? fail(`unknown user ${username}`);
    const unitSubtree = new Set(await unitSubtreeIds(trx, user.unitId));
    if (decide({ roles: user.roles, unitSubtree }, permission, view.project.unitId) !== "allowed") fail(`${username} may not ${permission} this project's forms`);
    return { userId: user.id, username: user.username };
  };
  const submitter = await actorFor(form.submittedBy, "submit-form");
  const { values, indicators: rows } = trackingWrite(view);
  await setActor(trx, submitter);
  const formId = await createTrackingForm(trx, { projectId, periodStart: view.periodStart, periodEnd: form.periodEnd }, values, rows, submitter);
  if (!(await moveTrackingForm(trx, formId, "draft", "submitted", submitter, null))) fail("could not be submitted");
  if (form.acceptedBy !== null) {
    const reviewer = await actorFor(form.acceptedBy, "review-form");
    await setActor(trx, reviewer);
    if (!(await moveTrackingForm(trx, formId, "submitted", "accepted", reviewer, form.reviewComment))) fail("could not be accepted");
    // Accepted in its own time (2024), not on the day of install: due by the rule's date.
    await raiseRectificationItems(trx, "tracking", formId, null);
  }
  await setActor(trx, SYSTEM_ACTOR);
}

/** The acting demo user for a step, refused unless the app would let them take it on the project's unit. */
async function demoActor(trx: Transaction<Database>, users: ReadonlyMap<string, DemoUserRecord>, username: string, permission: "submit-form" | "review-form", unitId: number) {
  const user = users.get(username);
  if (!user) throw new Error(`unknown demo user ${username}`);
  const unitSubtree = new Set(await unitSubtreeIds(trx, user.unitId));
  if (decide({ roles: user.roles, unitSubtree }, permission, unitId) !== "allowed") throw new Error(`${username} may not ${permission} on unit ${unitId}`);
  return { userId: user.id, username: user.username };
}

/**
 * Files a demo 绩效自评表 as its users would in the app (features/self-evaluation): the sheet the page
 * assembles from the ledger as of 31 December and the declaration, with the paper's entries typed in,
 * saved as a draft and submitted by the unit's submitter, then accepted by the reviewer, each step
 * recorded in the history and the audit trail under that user's name. Refuses a sheet the rules would
 * not let be submitted, or whose funds score, total or grade differ from the paper's.
 */
export async function fileSelfEvaluation(
  trx: Transaction<Database>,
  key: string,
  sheet: DemoSelfEvaluation,
  projectIds: ReadonlyMap<string, number>,
  users: ReadonlyMap<string, DemoUserRecord>,
): Promise<void> {
  const fail = (reason: string): never => {
    throw new Error(`demo self-evaluation ${key}: ${reason}`);
  };
  const projectId = projectIds.get(key) ?? fail("unknown project");
  const blank = (await loadSelfEvaluation(trx, projectId)) ?? fail("project not found");
  if (blank.rows.length !== sheet.indicators.length) fail(`${sheet.indicators.length} indicators listed, the declaration has ${blank.rows.length}`);
  const indicators: Record<string, SelfEvaluationEntry> = {};
  for (const [index, row] of blank.rows.entries()) {
    const typed = sheet.indicators[index]!;
    if (typed.name !== row.name) fail(`indicator ${index + 1} is ${row.name}, not ${typed.name}`);
    indicators[row.key] = {
      actual: typed.actual ?? null,
      judgement: typed.judgement ?? null,
      score: typed.score ?? null,
      scoreReason: typed.scoreReason ?? null,
      deviationAnalysis: typed.deviationAnalysis ?? null,
    };
  }
  const view = (await loadSelfEvaluation(trx, projectId, { content: { actualSummary: sheet.actualSummary, indicators } })) ?? fail("project not found");
  const { result } = view;
  if (sheet.draft) {
    const submitter = await demoActor(trx, users, sheet.submittedBy, "submit-form", view.project.unitId);
    const { values, funds, indicators: rows } = selfEvaluationWrite(view);
    await setActor(trx, submitter);
    await createSelfEvaluation(trx, projectId, values, funds, rows, submitter);
    return;
  }
  const problems = result.problems.map((problem) => render("en", problem.message));
  if (problems.length > 0) fail(`cannot be submitted: ${problems.join("; ")}`);
  const computed = { executionRate: result.executionRate, fundScore: result.fundScore, total: result.total, grade: result.grade };
  for (const [figure, value] of Object.entries(computed)) {
    const printed = (sheet.printed ?? fail("no printed figures"))[figure as keyof typeof computed];
    if (value !== printed) fail(`${figure} is ${value} by the ledger and the rules, but the paper prints ${printed}`);
  }

  const submitter = await demoActor(trx, users, sheet.submittedBy, "submit-form", view.project.unitId);
  const { values, funds, indicators: rows } = selfEvaluationWrite(view);
  await setActor(trx, submitter);
  const evaluationId = await createSelfEvaluation(trx, projectId, values, funds, rows, submitter);
  if (!(await moveSelfEvaluation(trx, evaluationId, "draft", "submitted", submitter, null))) fail("could not be submitted");
  if (sheet.acceptedBy !== null) {
    const reviewer = await demoActor(trx, users, sheet.acceptedBy, "review-form", view.project.unitId);
    await setActor(trx, reviewer);
    if (!(await moveSelfEvaluation(trx, evaluationId, "submitted", "accepted", reviewer, sheet.reviewComment))) fail("could not be accepted");
    await raiseRectificationItems(trx, "self-evaluation", evaluationId, null);
    if (sheet.rectified) {
      const items = await trx.selectFrom("rectification_item").select(["id", "version"]).where("self_evaluation_id", "=", evaluationId).execute();
      await setActor(trx, submitter);
      for (const item of items) {
        if (!(await closeItem(trx, item.id, item.version, { evidence: sheet.rectified.evidence, evidenceOn: sheet.rectified.on }, submitter))) fail("a rectification item could not be closed");
      }
    }
  }
  await setActor(trx, SYSTEM_ACTOR);
}
