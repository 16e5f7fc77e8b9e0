import type { DB } from "../../db/pool.ts";
import { withActor } from "../../db/audit.ts";
import type { ProjectHeader } from "../../db/projects.ts";
import { TIMELINESS_LEVEL2 } from "../../domain/declaration.ts";
import { roleAllows, type Role } from "../../domain/permissions.ts";
import { msg, type Message } from "../../messages/index.ts";
import { checkTransition, isEditable, refusalMessage, type WorkflowAction } from "../workflow/rules.ts";
import { formStateMessage, parseTrackingFields, problemFieldName } from "./rules/index.ts";
import { createTrackingForm, formRevisions, getTrackingForm, moveTrackingForm, newTrackingRevision, updateTrackingForm, TRACKING_FORM_WORKFLOW } from "./queries/forms.ts";
import { reviewStep, type OnAccepted } from "../workflow/service.ts";
import { raiseRectificationItems } from "../rectification/queries/raise.ts";
import { timelinessOffer, type TimelinessOffer } from "../payments/service.ts";
import { loadTrackingForm, periodEndOf, trackingWrite, type TrackingFormView } from "./queries/view.ts";

/*
 * The tracking form (运行监控表) as the routes and the CLI use it: one entry per thing a user does.
 * Each takes the database, the acting user (already let through the route's guard for the project's
 * unit) and the parsed input, and returns an outcome: done (the period whose form to show next), or
 * refused with a status and messages (Message values, rendered in the user's language by the caller).
 *
 *   trackingFormPage(db, user, project, { periodEnd, revision })   the form page and what the user may do on it
 *   saveTrackingForm(db, actor, input)                              saves the draft (and with submit: true submits it)
 *   submitTrackingForm(db, actor, input)                            saves and submits (a returned form: resubmits)
 *   returnTrackingForm(db, actor, { project, formId, comment })     a reviewer returns it (comment required)
 *   acceptTrackingForm(db, actor, { project, formId, comment })     a reviewer accepts it (frozen from then on)
 *   openTrackingRevision(db, actor, { project, formId })            a new draft revision of an accepted form
 */

export { loadTrackingForm, type TrackingFormView } from "./queries/view.ts";
export { listSubmissions, listUnfiled, statedDeviations } from "./queries/lists.ts";
export { trackingWorkbook, trackingWorkbookName } from "./export.ts";

/** Who acts: for the audit trail and the workflow's role check. */
export interface TrackingActor {
  userId: number;
  username: string;
  roles: readonly Role[];
}

/** Why an action was refused: a message, the submission problems naming inputs, field errors (input name → message). */
export interface TrackingRefusal {
  message: Message;
  problems: Array<{ field: string; message: Message }>;
  errors: Record<string, Message>;
  /** True when the draft was saved although the submission was refused. */
  saved: boolean;
}

export type TrackingOutcome =
  | { kind: "done"; periodEnd: string }
  | { kind: "refused"; status: 400 | 404 | 409; refusal: TrackingRefusal };

const refused = (status: 400 | 404 | 409, message: Message, more: Partial<Omit<TrackingRefusal, "message">> = {}): TrackingOutcome => ({
  kind: "refused",
  status,
  refusal: { message, problems: [], errors: {}, saved: false, ...more },
});

/**
 * The form page of a project for a period (and revision): the view, whether the requested period was
 * invalid, and what the user may do (edit, review, open a new revision); undefined when there is no
 * such revision.
 */
export async function trackingFormPage(
  db: DB,
  user: { roles: readonly Role[] },
  project: ProjectHeader,
  request: { periodEnd: string | null; revision: number | null },
): Promise<
  { view: TrackingFormView; timeliness: TimelinessOffer | null; invalidPeriod: boolean; canEdit: boolean; canReview: boolean; canNewRevision: boolean } | undefined
> {
  const view = await loadTrackingForm(db, project.id, { periodEnd: request.periodEnd, revision: request.revision });
  if (!view) return undefined;
  const editable = view.latest && !view.frozen && (view.status === null || isEditable(view.status));
  return {
    view,
    // Offered beside the 时效指标 rows: the 及时率 of the batches paid up to the period's end, and the notices' transfers.
    timeliness: view.indicators.some((row) => row.level2 === TIMELINESS_LEVEL2) ? await timelinessOffer(db, project.id, project.fiscalYear, view.periodEnd) : null,
    invalidPeriod: periodEndOf(project.fiscalYear, request.periodEnd).invalid,
    canEdit: editable && roleAllows(user.roles, "submit-form"),
    canReview: view.latest && (view.status === "submitted" || view.status === "resubmitted") && roleAllows(user.roles, "review-form"),
    canNewRevision: view.latest && view.frozen && roleAllows(user.roles, "submit-form"),
  };
}

/** What a save posts: the period, the revision and version the user saw, and the typed-in fields by input name. */
export interface SaveTrackingInput {
  project: ProjectHeader;
  /** As posted; an invalid one means the default period (31 August). */
  periodEnd: string | null;
  /** The revision the page showed; null for a form not saved yet. */
  formId: number | null;
  /** Its version when the page was loaded; null when missing or unreadable. */
  version: number | null;
  /** The posted value of an input, or null. */
  get: (name: string) => string | null;
  /** Submit (or resubmit) after saving, when nothing is missing. */
  submit?: boolean;
}

/**
 * Saves the form of the period: a new draft, or the open revision (draft or returned) when nobody
 * changed it meanwhile; with `submit`, moves it on (draft → submitted, returned → resubmitted) when
 * nothing is missing, else keeps the draft and refuses with the problems naming the inputs.
 */
export async function saveTrackingForm(db: DB, actor: TrackingActor, input: SaveTrackingInput): Promise<TrackingOutcome> {
  const { project, formId, version } = input;
  const periodEnd = periodEndOf(project.fiscalYear, input.periodEnd).periodEnd;
  return refusingStateErrors(async () => {
    const current = await loadTrackingForm(db, project.id, { periodEnd });
    if (!current) return refused(404, msg("trFormNotFound"));
    if (current.formId !== formId) return refused(409, msg("trCreatedMeanwhile"));
    if (current.frozen || (current.status !== null && !isEditable(current.status))) {
      return refused(409, msg("trNotEditable", { status: formStateMessage(current.status) }));
    }
    if (formId !== null && version === null) return refused(400, msg("trVersionInvalid"));
    // Changed meanwhile: a conflict before anything else, so that a refusal at fields never brings back the older
    // input over the newer form (the page shows what is stored now after a conflict).
    if (formId !== null && current.version !== version) return refused(409, msg("trChangedMeanwhile"));
    // Cause codes: the catalogue's active ones, and any this form already carries (kept when saved again).
    const causeCodes = [
      ...current.causes.filter((cause) => cause.active).map((cause) => cause.code),
      ...[current.fields.executionCauseCode, ...current.indicators.map((row) => row.causeCode)].filter((code) => code !== null),
    ];
    const parsed = parseTrackingFields(
      input.get,
      current.indicators.map((row) => row.key),
      { causeCodes, indicatorNames: Object.fromEntries(current.indicators.map((row) => [row.key, row.name])) },
    );
    if (Object.keys(parsed.errors).length > 0) {
      return refused(400, msg("trFieldsUnreadable"), {
        errors: parsed.errors,
        problems: Object.entries(parsed.errors).map(([field, message]) => ({ field, message })),
      });
    }
    const view = await loadTrackingForm(db, project.id, { periodEnd, overrides: { fields: parsed.fields, indicators: parsed.indicators } });
    if (!view) return refused(404, msg("trFormNotFound"));
    const { values, indicators } = trackingWrite(view);
    const problems = view.evaluation.problems.map((problem) => ({ field: problemFieldName(problem), message: problem.message }));
    const submitting = input.submit === true && problems.length === 0;
    const outcome = await withActor(db, actor, async (trx) => {
      let id = formId;
      if (id === null) {
        id = await createTrackingForm(trx, { projectId: project.id, periodStart: view.periodStart, periodEnd }, values, indicators, actor);
      } else if (!(await updateTrackingForm(trx, id, version!, values, indicators))) {
        return "stale" as const;
      }
      if (submitting) {
        const from = view.status === "returned" ? "returned" : "draft";
        const step = checkTransition({ from, action: from === "returned" ? "resubmit" : "submit", roles: actor.roles });
        if (!step.ok) return step.refusal;
        await moveTrackingForm(trx, id, from, step.to, actor, null);
      }
      return "saved" as const;
    });
    if (outcome === "stale") return refused(409, msg("trChangedMeanwhile"));
    // A refused step leaves the draft saved: the user was let through the guard as a submitter, so this is rare.
    if (outcome !== "saved") return refused(409, refusalMessage(outcome), { saved: true });
    if (input.submit === true && problems.length > 0) return refused(400, msg("trSavedNotSubmitted"), { problems, saved: true });
    return { kind: "done", periodEnd };
  });
}

/** Saves and submits the form (a returned one is resubmitted). */
export function submitTrackingForm(db: DB, actor: TrackingActor, input: Omit<SaveTrackingInput, "submit">): Promise<TrackingOutcome> {
  return saveTrackingForm(db, actor, { ...input, submit: true });
}

/** A reviewer's step on a (re)submitted revision of the project's form. */
export interface ReviewTrackingInput {
  project: ProjectHeader;
  formId: number | null;
  /** The reviewer's comment as posted; required to return. */
  comment: string;
  /** The day of the acceptance (default: today in China): the raised items' due dates count from it. */
  today?: string;
}

async function reviewTrackingForm(db: DB, actor: TrackingActor, action: Extract<WorkflowAction, "return" | "accept">, input: ReviewTrackingInput): Promise<TrackingOutcome> {
  return refusingStateErrors(async () => {
    const stored = input.formId === null ? undefined : await getTrackingForm(db, input.formId);
    if (!stored || stored.form.projectId !== input.project.id) return refused(404, msg("trFormNotFound"));
    // An acceptance raises the form's rectification items (是否整改 = 是) in its transaction.
    const onAccepted: OnAccepted | undefined = action === "accept" ? (trx, id) => raiseRectificationItems(trx, "tracking", id, input.today) : undefined;
    const step = await reviewStep(db, actor, TRACKING_FORM_WORKFLOW, stored.form, action, input.comment, onAccepted);
    if (!step.ok) return refused(step.status, step.problem, step.errors ? { errors: step.errors } : {});
    return { kind: "done", periodEnd: stored.form.periodEnd };
  });
}

/** A reviewer returns a (re)submitted revision with a comment. */
export function returnTrackingForm(db: DB, actor: TrackingActor, input: ReviewTrackingInput): Promise<TrackingOutcome> {
  return reviewTrackingForm(db, actor, "return", input);
}

/** A reviewer accepts a (re)submitted revision; it is frozen from then on. */
export function acceptTrackingForm(db: DB, actor: TrackingActor, input: ReviewTrackingInput): Promise<TrackingOutcome> {
  return reviewTrackingForm(db, actor, "accept", input);
}

/** Opens a new draft revision of the newest, accepted revision, with its content. */
export async function openTrackingRevision(db: DB, actor: TrackingActor, input: { project: ProjectHeader; formId: number | null }): Promise<TrackingOutcome> {
  return refusingStateErrors(async () => {
    const stored = input.formId === null ? undefined : await getTrackingForm(db, input.formId);
    if (!stored || stored.form.projectId !== input.project.id) return refused(404, msg("trFormNotFound"));
    if (stored.form.status !== "accepted") return refused(409, msg("trOnlyAcceptedRevise"));
    const [newest] = await formRevisions(db, input.project.id, stored.form.periodEnd);
    if (newest?.id !== stored.form.id) {
      return refused(409, msg("trNewerRevisionExists", { newest: newest?.revision ?? "", revision: stored.form.revision }));
    }
    const created = await withActor(db, actor, (trx) => newTrackingRevision(trx, stored.form.id, actor));
    if (created === null) return refused(409, msg("trOnlyAcceptedRevise"));
    return { kind: "done", periodEnd: stored.form.periodEnd };
  });
}

/**
 * The database refuses changes to an accepted revision and steps outside the workflow (SQLSTATE
 * 55000), a second open revision of a period (23505, e.g. two people creating the form at once), and
 * a row of an indicator deleted from the declaration meanwhile (23503): refusals, not errors.
 */
async function refusingStateErrors(run: () => Promise<TrackingOutcome>): Promise<TrackingOutcome> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "23503") return refused(409, msg("trIndicatorsChanged"));
    if (code === "55000" || code === "23505") return refused(409, msg("trDatabaseRefused", { detail: (error as Error).message }));
    throw error;
  }
}
