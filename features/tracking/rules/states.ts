import { msg, type Message } from "../../../messages/index.ts";
import {
  STATE_MESSAGE_KEYS,
  WORKFLOW_STATES,
  canTransition,
  isEditable,
  isFrozen,
  isUnderReview,
  nextStates,
  stateMessage,
  type WorkflowState,
} from "../../workflow/rules.ts";

/*
 * The states of a tracking form: the review workflow of features/workflow (draft → submitted →
 * returned → resubmitted → accepted, accepted frozen). A form not saved yet has no state (null).
 */

export const FORM_STATES = WORKFLOW_STATES;
export type FormState = WorkflowState;

/** The catalogue keys naming the states (草稿, 已提交, 已退回, 已重新提交, 已通过). */
export const FORM_STATE_KEYS = STATE_MESSAGE_KEYS;

/** A form's state as a message; null (not saved yet) as 未保存 / Not saved. */
export function formStateMessage(state: FormState | null): Message {
  return state === null ? msg("trStateUnsaved") : stateMessage(state);
}

/** The states whose form is shown as stored (under review or accepted), not from the live ledger. */
export function isSnapshotState(state: FormState): boolean {
  return isUnderReview(state) || isFrozen(state);
}

/** A history comment the app itself wrote, "由第1版新建" (stored as text), as a message; anything else is the reviewer's words. */
export function eventCommentMessage(comment: string): Message {
  const fromRevision = /^由第(\d+)版新建$/.exec(comment);
  return fromRevision ? msg("trFromRevision", { revision: fromRevision[1]! }) : msg("asWritten", { text: comment });
}

/** The history comment of a new revision's first step, as stored (Chinese; shown through eventCommentMessage). */
export function newRevisionComment(previousRevision: number): string {
  return `由第${previousRevision}版新建`;
}

export { canTransition, isEditable, isFrozen, isUnderReview, nextStates };
