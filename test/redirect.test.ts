import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "../app/session.server.ts";

describe("the sign-in redirect target", () => {
  it("keeps local paths and refuses everything that could leave the site", () => {
    expect(safeRedirectTarget("/projects/1?asOf=2024-08-31")).toBe("/projects/1?asOf=2024-08-31");
    for (const target of ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", null]) {
      expect(safeRedirectTarget(target), JSON.stringify(target)).toBe("/");
    }
  });
});
