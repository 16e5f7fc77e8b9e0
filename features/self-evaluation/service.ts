import type { DB } from "../../db/pool.ts";
import { withActor } from "../../db/audit.ts";
import type { ProjectHeader } from "../../db/projects.ts";
import { decide, roleAllows, type Permission, type Role } from "../../domain/permissions.ts";
import { JUDGEMENTS } from "../../domain/targets.ts";
import { TIMELINESS_LEVEL2 } from "../../domain/declaration.ts";
import { msg, type Message } from "../../messages/index.ts";
import { checkTransition, isEditable, refusalMessage, stateMessage, ACTION_MESSAGE_KEYS, TRANSITIONS, type WorkflowAction } from "../workflow/rules.ts";
import { textProblem } from "../../domain/text.ts";
import { indicatorItem, isReadableScore, problemFieldName } from "./rules/index.ts";
import { createSelfEvaluation, getSelfEvaluation, moveSelfEvaluation, updateSelfEvaluation, SELF_EVALUATION_WORKFLOW } from "./queries/sheets.ts";
import { reviewStep, type OnAccepted } from "../workflow/service.ts";
import { raiseRectificationItems } from "../rectification/queries/raise.ts";
import { timelinessOffer, type TimelinessOffer } from "../payments/service.ts";
import { loadSelfEvaluation, selfEvaluationWrite, type SelfEvaluationContent, type SelfEvaluationView } from "./queries/view.ts";

/*
 * The year-end self-evaluation (绩效自评表) as the routes and the CLI use it: one entry per thing a user
 * does, each in one transaction under the acting user (audited), the role and the project's unit
 * checked, returning an outcome: done, or refused with a status and messages.
 *
 *   selfEvaluationPage(db, user, project)              the sheet and what the user may do on it
 *   saveSelfEvaluation(db, actor, input)               saves the draft (with submit: true also submits it)
 *   submitSelfEvaluation(db, actor, input)             saves and submits (a returned sheet: resubmits)
 *   returnSelfEvaluation(db, actor, { project, evaluationId, comment })   a reviewer returns it (comment required)
 *   acceptSelfEvaluation(db, actor, { project, evaluationId, comment })   a reviewer accepts it (frozen from then on)
 */

export { loadSelfEvaluation, type SelfEvaluationContent, type SelfEvaluationEntry, type SelfEvaluationView } from "./queries/view.ts";
export { listSelfEvaluations, type SelfEvaluationListRow } from "./queries/lists.ts";

/** Who acts: for the audit trail, the workflow's role check and the unit check. */
export interface SelfEvaluationActor {
  userId: number | null;
  username: string;
  roles: readonly Role[];
  /** The user's unit and the units below it; null: every unit (the system). */
  unitSubtree: ReadonlySet<number> | null;
}

/** Why an action was refused: a message, the submission problems naming inputs, field errors (input name → message). */
export interface SelfEvaluationRefusal {
  message: Message;
  problems: Array<{ field: string; message: Message }>;
  errors: Record<string, Message>;
  /** True when the draft was saved although the submission was refused. */
  saved: boolean;
}

export type SelfEvaluationOutcome =
  | { kind: "done"; evaluationId: number }
  | { kind: "refused"; status: 400 | 403 | 404 | 409; refusal: SelfEvaluationRefusal };

const refused = (status: 400 | 403 | 404 | 409, message: Message, more: Partial<Omit<SelfEvaluationRefusal, "message">> = {}): SelfEvaluationOutcome => ({
  kind: "refused",
  status,
  refusal: { message, problems: [], errors: {}, saved: false, ...more },
});

/** Whether the actor may do this on the project: the permission, within the actor's units. */
function allowed(actor: Pick<SelfEvaluationActor, "roles" | "unitSubtree">, permission: Permission, project: ProjectHeader): boolean {
  if (actor.unitSubtree === null) return roleAllows(actor.roles, permission);
  return decide({ roles: actor.roles, unitSubtree: actor.unitSubtree }, permission, project.unitId) === "allowed";
}

/** Why the actor may not take the action on the project (role, then unit), or null when they may. */
function refusalFor(actor: SelfEvaluationActor, action: WorkflowAction, project: ProjectHeader): SelfEvaluationOutcome | null {
  const { permission } = TRANSITIONS[action];
  if (!roleAllows(actor.roles, permission)) return refused(403, msg("wfForbidden", { action: msg(ACTION_MESSAGE_KEYS[action]) }));
  if (!allowed(actor, permission, project)) return refused(403, msg("seOutOfUnit"));
  return null;
}

/** The sheet of a project and what the user may do on it; undefined when there is no such project. */
export async function selfEvaluationPage(
  db: DB,
  user: Pick<SelfEvaluationActor, "roles" | "unitSubtree">,
  project: ProjectHeader,
): Promise<{ view: SelfEvaluationView; timeliness: TimelinessOffer | null; canEdit: boolean; canReview: boolean } | undefined> {
  const view = await loadSelfEvaluation(db, project.id);
  if (!view) return undefined;
  const editable = view.status === null || isEditable(view.status);
  return {
    view,
    // Offered beside the 时效指标 rows: the 及时率 of the year's batches and the settlement notices' transfers.
    timeliness: view.rows.some((row) => row.level2 === TIMELINESS_LEVEL2)
      ? await timelinessOffer(db, project.id, project.fiscalYear, `${project.fiscalYear}-12-31`)
      : null,
    canEdit: editable && allowed(user, "submit-form", project),
    canReview: (view.status === "submitted" || view.status === "resubmitted") && allowed(user, "review-form", project),
  };
}

/** What a save posts: the sheet and version the user saw, and what was typed. */
export interface SaveSelfEvaluationInput {
  project: ProjectHeader;
  /** The sheet the page showed; null for one not saved yet. */
  evaluationId: number | null;
  /** Its version when the page was loaded; null when missing or unreadable. */
  version: number | null;
  content: SelfEvaluationContent;
  /** Submit (or resubmit) after saving, when nothing is missing. */
  submit?: boolean;
}

/** Field errors of what was typed (input name → message): unreadable scores and judgements, over-long or control-character texts. */
function contentErrors(content: SelfEvaluationContent, itemOf: (key: string) => Message): Record<string, Message> {
  const errors: Record<string, Message> = {};
  const text = (name: string, value: string | null | undefined, label: Message) => {
    const problem = value === null || value === undefined ? null : textProblem(value, label);
    if (problem !== null) errors[name] = problem;
  };
  text("actualSummary", content.actualSummary, msg("seActualSummary"));
  for (const [key, entry] of Object.entries(content.indicators)) {
    text(`ind.${key}.actual`, entry.actual, msg("seActual"));
    text(`ind.${key}.scoreReason`, entry.scoreReason, msg("seScoreReason"));
    text(`ind.${key}.deviationAnalysis`, entry.deviationAnalysis, msg("seDeviationAnalysis"));
    const score = entry.score?.trim() ?? "";
    if (score !== "" && !isReadableScore(score)) errors[`ind.${key}.score`] = msg("seScoreUnreadable", { item: itemOf(key), score });
    if (entry.judgement !== undefined && entry.judgement !== null && !JUDGEMENTS.includes(entry.judgement)) {
      errors[`ind.${key}.judgement`] = msg("seMissingJudgement", { item: itemOf(key) });
    }
  }
  return errors;
}

/**
 * Saves the project's sheet: a new draft, or the open one (draft or returned) when nobody changed it
 * meanwhile; with `submit`, moves it on (draft → submitted, returned → resubmitted) when nothing is
 * missing, else keeps the draft and refuses with the problems naming the inputs.
 */
export async function saveSelfEvaluation(db: DB, actor: SelfEvaluationActor, input: SaveSelfEvaluationInput): Promise<SelfEvaluationOutcome> {
  const { project, evaluationId, version } = input;
  const forbidden = refusalFor(actor, "submit", project);
  if (forbidden) return forbidden;
  return refusingStateErrors(async () => {
    const current = await loadSelfEvaluation(db, project.id);
    if (!current) return refused(404, msg("seNotFound"));
    if (current.evaluationId !== evaluationId) return refused(409, msg(evaluationId === null ? "seCreatedMeanwhile" : "seChangedMeanwhile"));
    if (current.status !== null && !isEditable(current.status)) return refused(409, msg("seNotEditable", { status: stateMessage(current.status) }));
    if (evaluationId !== null && version === null) return refused(400, msg("seVersionInvalid"));
    // Changed meanwhile: a conflict before the fields are read, so that a refusal at fields never brings back the
    // older input over the newer sheet (the page shows what is stored now after a conflict).
    if (evaluationId !== null && current.version !== version) return refused(409, msg("seChangedMeanwhile"));
    const keys = new Set(current.rows.map((row) => row.key));
    const unknown = Object.keys(input.content.indicators).find((key) => !keys.has(key));
    if (unknown !== undefined) return refused(400, msg("seUnknownIndicator", { key: unknown }));
    const items = new Map(current.rows.map((row) => [row.key, indicatorItem(row.name)]));
    const errors = contentErrors(input.content, (key) => items.get(key)!);
    if (Object.keys(errors).length > 0) {
      return refused(400, msg("trFieldsUnreadable"), { errors, problems: Object.entries(errors).map(([field, message]) => ({ field, message })) });
    }
    const view = await loadSelfEvaluation(db, project.id, { content: input.content });
    if (!view) return refused(404, msg("seNotFound"));
    const { values, funds, indicators } = selfEvaluationWrite(view);
    const problems = view.result.problems.map((problem) => ({ field: problemFieldName(problem), message: problem.message }));
    const submitting = input.submit === true && problems.length === 0;
    const outcome = await withActor(db, actor, async (trx) => {
      let id = evaluationId;
      if (id === null) id = await createSelfEvaluation(trx, project.id, values, funds, indicators, actor);
      else if (!(await updateSelfEvaluation(trx, id, version!, values, funds, indicators))) return "stale" as const;
      if (submitting) {
        const from = view.status === "returned" ? "returned" : "draft";
        const step = checkTransition({ from, action: from === "returned" ? "resubmit" : "submit", roles: actor.roles });
        if (!step.ok) return step.refusal;
        await moveSelfEvaluation(trx, id, from, step.to, actor, null);
      }
      return { id };
    });
    if (outcome === "stale") return refused(409, msg("seChangedMeanwhile"));
    if (!("id" in outcome)) return refused(409, refusalMessage(outcome), { saved: true });
    if (input.submit === true && problems.length > 0) return refused(400, msg("seSavedNotSubmitted"), { problems, saved: true });
    return { kind: "done", evaluationId: outcome.id };
  });
}

/** Saves and submits the sheet (a returned one is resubmitted). */
export function submitSelfEvaluation(db: DB, actor: SelfEvaluationActor, input: Omit<SaveSelfEvaluationInput, "submit">): Promise<SelfEvaluationOutcome> {
  return saveSelfEvaluation(db, actor, { ...input, submit: true });
}

/** A reviewer's step on a (re)submitted sheet of the project. */
export interface ReviewSelfEvaluationInput {
  project: ProjectHeader;
  evaluationId: number | null;
  /** The reviewer's comment as posted; required to return. */
  comment: string;
  /** The day of the acceptance (default: today in China): the raised items' due dates count from it. */
  today?: string;
}

async function reviewSelfEvaluation(
  db: DB,
  actor: SelfEvaluationActor,
  action: Extract<WorkflowAction, "return" | "accept">,
  input: ReviewSelfEvaluationInput,
): Promise<SelfEvaluationOutcome> {
  const forbidden = refusalFor(actor, action, input.project);
  if (forbidden) return forbidden;
  return refusingStateErrors(async () => {
    const stored = input.evaluationId === null ? undefined : await getSelfEvaluation(db, input.evaluationId);
    if (!stored || stored.evaluation.projectId !== input.project.id) return refused(404, msg("seNotFound"));
    // An acceptance raises the sheet's rectification items (整改台账) in its transaction.
    const onAccepted: OnAccepted | undefined = action === "accept" ? (trx, id) => raiseRectificationItems(trx, "self-evaluation", id, input.today) : undefined;
    const step = await reviewStep(db, actor, SELF_EVALUATION_WORKFLOW, stored.evaluation, action, input.comment, onAccepted);
    if (!step.ok) return refused(step.status, step.problem, step.errors ? { errors: step.errors } : {});
    return { kind: "done", evaluationId: stored.evaluation.id };
  });
}

/** A reviewer returns a (re)submitted sheet with a comment. */
export function returnSelfEvaluation(db: DB, actor: SelfEvaluationActor, input: ReviewSelfEvaluationInput): Promise<SelfEvaluationOutcome> {
  return reviewSelfEvaluation(db, actor, "return", input);
}

/** A reviewer accepts a (re)submitted sheet; it is frozen from then on. */
export function acceptSelfEvaluation(db: DB, actor: SelfEvaluationActor, input: ReviewSelfEvaluationInput): Promise<SelfEvaluationOutcome> {
  return reviewSelfEvaluation(db, actor, "accept", input);
}

/**
 * The database refuses changes to an accepted sheet and steps outside the workflow (SQLSTATE 55000), a
 * second sheet of a project (23505, two people creating it at once), and a row of an indicator deleted
 * from the declaration meanwhile (23503): refusals, not errors.
 */
async function refusingStateErrors(run: () => Promise<SelfEvaluationOutcome>): Promise<SelfEvaluationOutcome> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "23503") return refused(409, msg("seIndicatorsChanged"));
    if (code === "23505") return refused(409, msg("seCreatedMeanwhile"));
    if (code === "55000") return refused(409, msg("seDatabaseRefused", { detail: (error as Error).message }));
    throw error;
  }
}
