import type { RefObject } from "react";
import { Form } from "react-router";
import type { WorkflowEvent } from "../../features/workflow/queries";
import { stateMessage } from "../../features/workflow/rules";
import { eventCommentMessage } from "../../features/tracking/rules";
import { MAX_TEXT } from "../../domain/text";
import { useT, type Message } from "../i18n";

/*
 * The two panels every form of the workflow (运行监控表, 绩效自评表) shows below the sheet: the reviewer's
 * return / accept with the comment (its error said at the field), and the history of steps (流转记录).
 */

/** The reviewer's form: posts `intent` return or accept with the comment and the form's id under `idName`. */
export function ReviewForm(props: {
  idName: string;
  idValue: number | null;
  busy: boolean;
  commentError: Message | undefined;
  commentRef: RefObject<HTMLTextAreaElement | null>;
  /** Prefix of the buttons' test ids: `${testPrefix}-return`, `${testPrefix}-accept`. */
  testPrefix: string;
}) {
  const { t, m } = useT();
  const { commentError } = props;
  return (
    <Form method="post" className="stacked-form wide no-print review-form" data-testid="review-form">
      <h2>{t("trReview")}</h2>
      <input type="hidden" name={props.idName} value={props.idValue ?? ""} />
      <label className={commentError ? "has-error" : undefined}>
        {t("trReviewComment")}
        <textarea name="comment" rows={3} maxLength={MAX_TEXT} data-testid="review-comment-input" ref={props.commentRef} aria-invalid={commentError ? true : undefined} />
        {commentError && (
          <span className="field-error" role="alert" data-testid="comment-error">
            {m(commentError)}
          </span>
        )}
      </label>
      <p className="form-actions">
        <button type="submit" name="intent" value="return" disabled={props.busy} data-testid={`${props.testPrefix}-return`}>
          {t("trReturn")}
        </button>
        <button type="submit" name="intent" value="accept" disabled={props.busy} data-testid={`${props.testPrefix}-accept`}>
          {t("trAccept")}
        </button>
      </p>
    </Form>
  );
}

/** 流转记录: each step with its time, user, the move from state to state and the comment. */
export function WorkflowHistory({ events, testId }: { events: readonly WorkflowEvent[]; testId: string }) {
  const { t, m } = useT();
  if (events.length === 0) return null;
  return (
    <>
      <h2>{t("trHistory")}</h2>
      <div className="table-scroll">
        <table className="data-table" data-testid={testId}>
          <thead>
            <tr>
              <th>{t("trAt")}</th>
              <th>{t("trActor")}</th>
              <th>{t("status")}</th>
              <th>{t("trReviewComment")}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td className="nowrap">{event.at}</td>
                <td title={event.username}>{event.displayName}</td>
                <td>
                  {event.fromStatus ? `${m(stateMessage(event.fromStatus))} → ` : ""}
                  {m(stateMessage(event.toStatus))}
                </td>
                <td>{event.comment === null ? "" : m(eventCommentMessage(event.comment))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
