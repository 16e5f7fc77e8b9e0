import type { Transaction } from "kysely";
import type { DB } from "../../db/pool.ts";
import type { Database } from "../../db/schema.ts";
import { withActor, type AuditActor } from "../../db/audit.ts";
import type { Role } from "../../domain/permissions.ts";
import { msg, type Message } from "../../messages/index.ts";
import { textProblem } from "../../domain/text.ts";
import { checkTransition, refusalMessage, type WorkflowAction, type WorkflowState } from "./rules.ts";
import { moveSubject, type WorkflowStore } from "./queries.ts";

/*
 * A reviewer's step (return with a comment, or accept) on any subject of the workflow: the tracking
 * form and the self-evaluation call it from their services and turn a refusal into their own outcome.
 */

export type ReviewStep =
  | { ok: true }
  /** Refused: the HTTP-like status (400 the comment, 409 the state), the message, and the comment's field error. */
  | { ok: false; status: 400 | 409; problem: Message; errors?: { comment: Message } };

/** What follows an acceptance in its transaction (the rectification items it raises), given the subject's id. */
export type OnAccepted = (trx: Transaction<Database>, subjectId: number) => Promise<unknown>;

/**
 * Checks and makes a reviewer's step on a subject in state `from`, as `actor`, in one audited transaction;
 * on an acceptance, `onAccepted` runs in that transaction after the move.
 */
export async function reviewStep(
  db: DB,
  actor: AuditActor & { roles: readonly Role[] },
  store: WorkflowStore,
  subject: { id: number; status: WorkflowState },
  action: Extract<WorkflowAction, "return" | "accept">,
  comment: string,
  onAccepted?: OnAccepted,
): Promise<ReviewStep> {
  const step = checkTransition({ from: subject.status, action, roles: actor.roles, comment });
  if (!step.ok) {
    if (step.refusal.code === "comment-required") return { ok: false, status: 400, problem: refusalMessage(step.refusal), errors: { comment: msg("wfCommentMissing") } };
    return { ok: false, status: 409, problem: refusalMessage(step.refusal) };
  }
  const commentProblem = textProblem(comment.trim(), msg("trReviewComment"));
  if (commentProblem !== null) return { ok: false, status: 400, problem: commentProblem, errors: { comment: commentProblem } };
  const moved = await withActor(db, actor, async (trx) => {
    if (!(await moveSubject(trx, store, subject.id, subject.status, step.to, actor, step.comment))) return false;
    if (step.to === "accepted" && onAccepted) await onAccepted(trx, subject.id);
    return true;
  });
  return moved ? { ok: true } : { ok: false, status: 409, problem: msg("wfStale") };
}
