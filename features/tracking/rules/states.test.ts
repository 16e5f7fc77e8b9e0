import { describe, expect, it } from "vitest";
import { FORM_STATES, canTransition, eventCommentMessage, formStateMessage, isFrozen, isSnapshotState, newRevisionComment, nextStates } from "./states.ts";
import { ROLES } from "../../../domain/permissions.ts";
import { render } from "../../../messages/index.ts";
import { zh } from "./fixtures.ts";

describe("the tracking form's workflow", () => {
  it("lets submitters submit and resubmit, managers return and accept", () => {
    expect(canTransition("draft", "submitted", "submitter")).toBe(true);
    expect(canTransition("submitted", "returned", "manager")).toBe(true);
    expect(canTransition("returned", "resubmitted", "submitter")).toBe(true);
    expect(canTransition("resubmitted", "returned", "manager")).toBe(true);
    expect(canTransition("resubmitted", "accepted", "manager")).toBe(true);
    expect(canTransition("submitted", "accepted", "manager")).toBe(true);
  });

  it("refuses everything else, and freezes accepted forms", () => {
    expect(canTransition("draft", "submitted", "manager")).toBe(false);
    expect(canTransition("submitted", "accepted", "submitter")).toBe(false);
    expect(canTransition("returned", "submitted", "submitter")).toBe(false);
    expect(canTransition("draft", "accepted", "manager")).toBe(false);
    for (const role of ROLES) {
      for (const to of FORM_STATES) expect(canTransition("accepted", to, role), `${role} → ${to}`).toBe(false);
    }
    expect(nextStates("draft", "submitter")).toEqual(["submitted"]);
    expect(nextStates("resubmitted", "manager")).toEqual(["returned", "accepted"]);
    expect(nextStates("submitted", "admin")).toEqual([]);
    expect(isFrozen("accepted")).toBe(true);
    expect(isFrozen("returned")).toBe(false);
    expect(FORM_STATES.filter(isSnapshotState)).toEqual(["submitted", "resubmitted", "accepted"]);
  });

  it("names the states and the app's own history comments through the catalogue", () => {
    expect(FORM_STATES.map((state) => zh(formStateMessage(state)))).toEqual(["草稿", "已提交", "已退回", "已重新提交", "已通过"]);
    expect(render("en", formStateMessage(null))).toBe("Not saved");
    expect(newRevisionComment(1)).toBe("由第1版新建");
    expect(render("en", eventCommentMessage(newRevisionComment(1)))).toBe("Opened from revision 1");
    expect(render("en", eventCommentMessage("请补充9月起的拨付计划。"))).toBe("请补充9月起的拨付计划。");
  });
});
