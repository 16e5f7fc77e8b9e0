import { msg, type Message } from "../../messages/index.ts";
import type { MessageKey } from "../../messages/index.ts";
import { roleAllows, type Permission, type Role } from "../../domain/permissions.ts";

/*
 * The review workflow shared by the forms that a unit fills in and a manager reviews: the mid-year
 * tracking form (运行监控表) today, the year-end self-evaluation form (绩效自评表) and rectification
 * items (整改) next. Pure rules here; features/workflow/queries.ts stores a move and its history.
 *
 *   draft ──submit──▶ submitted ──accept──▶ accepted (frozen)
 *                        │  ▲
 *                     return │ (comment required)
 *                        ▼  │
 *                     returned ──resubmit──▶ resubmitted ──accept / return──▶ …
 *
 * API (all pure):
 *   WORKFLOW_STATES, WorkflowState      the five states, in workflow order.
 *   WORKFLOW_ACTIONS, WorkflowAction    submit | resubmit | return | accept.
 *   TRANSITIONS                         per action: the states it starts from, the state it leads to,
 *                                       the permission it needs (submit-form / review-form) and whether
 *                                       a comment is required (return).
 *   canTransition(from, to, role)       may a user with the role move a subject from one state to the other?
 *   nextStates(from, role)              the states such a user can move it to.
 *   actionOf(from, to)                  the action that moves from one state to the other, or null.
 *   isFrozen(state)                     accepted: never changes again (a change is a new version).
 *   isEditable(state)                   draft or returned: the filler may change the content.
 *   isUnderReview(state)                submitted or resubmitted: shown as submitted, not editable.
 *   checkTransition({ from, action, roles, comment })
 *                                       → { ok: true, to, comment } | { ok: false, refusal }, the refusal one of
 *                                       REFUSAL_CODES: frozen, not-from-state, forbidden, comment-required.
 *   refusalMessage(refusal, stateLabel) the refusal as a Message (catalogue keys wf*).
 *   STATE_MESSAGE_KEYS, stateMessage(state)
 *                                       the catalogue key / Message naming a state (草稿 / Draft …).
 *   ACTION_MESSAGE_KEYS                 the catalogue key naming an action (退回 / return …).
 *
 * A feature reusing the workflow keeps its own subject table with a `status` column holding these
 * states and a history table shaped like tracking_form_event (see queries.ts).
 */

export const WORKFLOW_STATES = ["draft", "submitted", "returned", "resubmitted", "accepted"] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const WORKFLOW_ACTIONS = ["submit", "resubmit", "return", "accept"] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export interface TransitionRule {
  from: readonly WorkflowState[];
  to: WorkflowState;
  permission: Permission;
  commentRequired: boolean;
}

/** Each action: submitters submit drafts and resubmit returned subjects, managers return or accept (re)submitted ones. */
export const TRANSITIONS: Readonly<Record<WorkflowAction, TransitionRule>> = {
  submit: { from: ["draft"], to: "submitted", permission: "submit-form", commentRequired: false },
  resubmit: { from: ["returned"], to: "resubmitted", permission: "submit-form", commentRequired: false },
  return: { from: ["submitted", "resubmitted"], to: "returned", permission: "review-form", commentRequired: true },
  accept: { from: ["submitted", "resubmitted"], to: "accepted", permission: "review-form", commentRequired: false },
};

/** The action that moves a subject from one state to the other: actionOf("returned", "resubmitted") → "resubmit". */
export function actionOf(from: WorkflowState, to: WorkflowState): WorkflowAction | null {
  return WORKFLOW_ACTIONS.find((action) => TRANSITIONS[action].to === to && TRANSITIONS[action].from.includes(from)) ?? null;
}

/**
 * True when a user with the role may move a subject from one state to the other.
 * Example: canTransition("submitted", "returned", "manager") → true; canTransition("accepted", "returned", "manager") → false.
 */
export function canTransition(from: WorkflowState, to: WorkflowState, role: Role): boolean {
  const action = actionOf(from, to);
  return action !== null && roleAllows([role], TRANSITIONS[action].permission);
}

/** The states a user with the role can move a subject to from its state: nextStates("draft", "submitter") → ["submitted"]. */
export function nextStates(from: WorkflowState, role: Role): WorkflowState[] {
  return WORKFLOW_STATES.filter((to) => canTransition(from, to, role));
}

/** True when the subject can no longer change at all (accepted; a change needs a new version). */
export function isFrozen(state: WorkflowState): boolean {
  return state === "accepted";
}

/** True when the filler may change the content (draft or returned). */
export function isEditable(state: WorkflowState): boolean {
  return state === "draft" || state === "returned";
}

/** True while a reviewer has it (submitted or resubmitted): shown as submitted, not editable. */
export function isUnderReview(state: WorkflowState): boolean {
  return state === "submitted" || state === "resubmitted";
}

/** Why a transition is refused. */
export const REFUSAL_CODES = ["frozen", "not-from-state", "forbidden", "comment-required"] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface WorkflowRefusal {
  code: RefusalCode;
  action: WorkflowAction;
  from: WorkflowState;
}

/**
 * Checks one transition: the action must start from the state, one of the roles must grant its
 * permission, and a return needs a comment (blank counts as none). Example: checkTransition({ from:
 * "submitted", action: "return", roles: ["manager"], comment: " " }) → { ok: false, refusal: { code:
 * "comment-required", … } }.
 */
export function checkTransition(input: {
  from: WorkflowState;
  action: WorkflowAction;
  roles: readonly Role[];
  comment?: string | null;
}): { ok: true; to: WorkflowState; comment: string | null } | { ok: false; refusal: WorkflowRefusal } {
  const { from, action, roles } = input;
  const rule = TRANSITIONS[action];
  const refuse = (code: RefusalCode) => ({ ok: false as const, refusal: { code, action, from } });
  if (isFrozen(from)) return refuse("frozen");
  if (!rule.from.includes(from)) return refuse("not-from-state");
  if (!roleAllows(roles, rule.permission)) return refuse("forbidden");
  const comment = input.comment?.trim() ?? "";
  if (rule.commentRequired && comment === "") return refuse("comment-required");
  return { ok: true, to: rule.to, comment: comment === "" ? null : comment };
}

/** The catalogue keys naming the states. */
export const STATE_MESSAGE_KEYS = {
  draft: "wfDraft",
  submitted: "wfSubmitted",
  returned: "wfReturned",
  resubmitted: "wfResubmitted",
  accepted: "wfAccepted",
} as const satisfies Record<WorkflowState, MessageKey>;

/** The catalogue keys naming the actions (as in "cannot return"). */
export const ACTION_MESSAGE_KEYS = {
  submit: "wfActionSubmit",
  resubmit: "wfActionResubmit",
  return: "wfActionReturn",
  accept: "wfActionAccept",
} as const satisfies Record<WorkflowAction, MessageKey>;

/** A state as a message: stateMessage("accepted") renders 已通过 / Accepted. */
export function stateMessage(state: WorkflowState): Message {
  return msg(STATE_MESSAGE_KEYS[state]);
}

/** A refusal as a message: refusalMessage({ code: "comment-required", … }) renders 退回时须填写审核意见。 */
export function refusalMessage(refusal: WorkflowRefusal): Message {
  switch (refusal.code) {
    case "comment-required":
      return msg("wfCommentRequired");
    case "forbidden":
      return msg("wfForbidden", { action: msg(ACTION_MESSAGE_KEYS[refusal.action]) });
    case "frozen":
    case "not-from-state":
      return msg("wfNotFromState", { status: stateMessage(refusal.from), action: msg(ACTION_MESSAGE_KEYS[refusal.action]) });
  }
}
