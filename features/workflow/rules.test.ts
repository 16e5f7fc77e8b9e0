import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../domain/permissions.ts";
import { render } from "../../messages/index.ts";
import {
  TRANSITIONS,
  WORKFLOW_ACTIONS,
  WORKFLOW_STATES,
  actionOf,
  canTransition,
  checkTransition,
  isEditable,
  isFrozen,
  isUnderReview,
  nextStates,
  refusalMessage,
  stateMessage,
  type WorkflowAction,
  type WorkflowState,
} from "./rules.ts";

/** Who may do what: submitters submit and resubmit, managers return and accept; nobody else moves a subject. */
const ALLOWED: Record<WorkflowAction, readonly Role[]> = { submit: ["submitter"], resubmit: ["submitter"], return: ["manager"], accept: ["manager"] };
const STARTS: Record<WorkflowAction, readonly WorkflowState[]> = {
  submit: ["draft"],
  resubmit: ["returned"],
  return: ["submitted", "resubmitted"],
  accept: ["submitted", "resubmitted"],
};

describe("the review workflow", () => {
  it("allows every transition to exactly the roles that may make it, from exactly its states", () => {
    for (const action of WORKFLOW_ACTIONS) {
      for (const from of WORKFLOW_STATES) {
        for (const role of ROLES) {
          const expected = STARTS[action].includes(from) && ALLOWED[action].includes(role);
          const to = TRANSITIONS[action].to;
          expect(canTransition(from, to, role), `${role}: ${from} → ${to}`).toBe(expected);
          const checked = checkTransition({ from, action, roles: [role], comment: "请补充" });
          expect(checked.ok, `${role} ${action} from ${from}`).toBe(expected);
          if (checked.ok) expect(checked).toEqual({ ok: true, to, comment: "请补充" });
        }
      }
    }
    expect(actionOf("returned", "resubmitted")).toBe("resubmit");
    expect(actionOf("draft", "accepted")).toBeNull();
    expect(nextStates("draft", "submitter")).toEqual(["submitted"]);
    expect(nextStates("submitted", "manager")).toEqual(["returned", "accepted"]);
    expect(nextStates("returned", "submitter")).toEqual(["resubmitted"]);
    expect(nextStates("submitted", "admin")).toEqual([]);
  });

  it("refuses a return without a comment, a blank one too; other steps need none", () => {
    for (const comment of [undefined, null, "", "   "]) {
      const refused = checkTransition({ from: "submitted", action: "return", roles: ["manager"], comment });
      expect(refused).toEqual({ ok: false, refusal: { code: "comment-required", action: "return", from: "submitted" } });
    }
    expect(checkTransition({ from: "resubmitted", action: "return", roles: ["manager"], comment: " 请补充 " })).toEqual({ ok: true, to: "returned", comment: "请补充" });
    expect(checkTransition({ from: "submitted", action: "accept", roles: ["manager"] })).toEqual({ ok: true, to: "accepted", comment: null });
    expect(checkTransition({ from: "draft", action: "submit", roles: ["submitter"], comment: "  " })).toEqual({ ok: true, to: "submitted", comment: null });
  });

  it("freezes accepted subjects, for every role and action; submitted ones are under review, not editable", () => {
    for (const action of WORKFLOW_ACTIONS) {
      for (const role of ROLES) {
        expect(checkTransition({ from: "accepted", action, roles: [role], comment: "x" })).toMatchObject({ ok: false, refusal: { code: "frozen" } });
      }
    }
    expect(WORKFLOW_STATES.filter(isFrozen)).toEqual(["accepted"]);
    expect(WORKFLOW_STATES.filter(isEditable)).toEqual(["draft", "returned"]);
    expect(WORKFLOW_STATES.filter(isUnderReview)).toEqual(["submitted", "resubmitted"]);
  });

  it("names each refusal: the wrong state, a role without the permission", () => {
    expect(checkTransition({ from: "returned", action: "accept", roles: ["manager"] })).toMatchObject({ ok: false, refusal: { code: "not-from-state" } });
    expect(checkTransition({ from: "submitted", action: "accept", roles: ["submitter", "viewer"] })).toMatchObject({ ok: false, refusal: { code: "forbidden" } });
    // Any of the user's roles may grant the step.
    expect(checkTransition({ from: "submitted", action: "accept", roles: ["viewer", "manager"] }).ok).toBe(true);
    const notNow = checkTransition({ from: "returned", action: "accept", roles: ["manager"] });
    if (notNow.ok) throw new Error("expected a refusal");
    expect(render("zh", refusalMessage(notNow.refusal))).toBe("此表当前状态为“已退回”，不能审核通过。");
    expect(render("en", refusalMessage(notNow.refusal))).toBe("The form is “Returned”: you cannot accept it now.");
    expect(render("zh", refusalMessage({ code: "comment-required", action: "return", from: "submitted" }))).toBe("退回时须填写审核意见。");
    expect(WORKFLOW_STATES.map((state) => render("en", stateMessage(state)))).toEqual(["Draft", "Submitted", "Returned", "Resubmitted", "Accepted"]);
  });
});
