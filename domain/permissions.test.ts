import { describe, expect, it } from "vitest";
import { decide, isRoleList, roleAllows, roleMessage, ROLES } from "./permissions.ts";
import { render } from "../messages/index.ts";

describe("permissions", () => {
  const town = new Set([5, 6]);

  it("lets every role read inside its subtree and nothing outside", () => {
    for (const role of ROLES) {
      expect(decide({ roles: [role], unitSubtree: town }, "read", 6)).toBe("allowed");
      expect(decide({ roles: [role], unitSubtree: town }, "read", 9)).toBe("not-found");
    }
  });

  it("lets planners edit budgets of their subtree only, and refuses other roles with forbidden", () => {
    expect(decide({ roles: ["planner"], unitSubtree: town }, "edit-budget", 5)).toBe("allowed");
    expect(decide({ roles: ["planner"], unitSubtree: town }, "edit-budget", 9)).toBe("forbidden");
    for (const role of ["viewer", "submitter", "manager", "admin"] as const) {
      expect(decide({ roles: [role], unitSubtree: town }, "edit-budget", 5)).toBe("forbidden");
    }
  });

  it("grants by any of several roles", () => {
    expect(roleAllows(["viewer", "manager"], "edit-adjustment")).toBe(true);
    expect(roleAllows(["viewer"], "administer")).toBe(false);
    expect(roleAllows(["admin"], "administer")).toBe(true);
  });

  it("knows the role names", () => {
    expect(isRoleList(["planner", "viewer"])).toBe(true);
    expect(isRoleList(["root"])).toBe(false);
    expect(isRoleList([])).toBe(false);
  });

  it("names the roles in either language", () => {
    expect(ROLES.map((role) => render("zh", roleMessage(role)))).toEqual(["系统管理员", "管理人员", "预算编制人员", "填报人员", "只读用户"]);
    expect(render("en", roleMessage("planner"))).toBe("Budget planner");
    for (const role of ROLES) expect(render("en", roleMessage(role))).not.toMatch(/[\u3400-\u9fff]/);
  });
});
