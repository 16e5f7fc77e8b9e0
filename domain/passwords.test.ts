import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { render } from "../messages/index.ts";

describe("passwords", () => {
  it("hashes with scrypt and a random salt, and verifies", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword("correct horse battery", first)).toBe(true);
    expect(await verifyPassword("correct horse batterY", first)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
  });

  it("refuses short passwords and ones containing the username", () => {
    expect(passwordProblem("short")).toEqual({ code: "usrPasswordTooShort", params: { min: 10 } });
    expect(render("zh", passwordProblem("short")!)).toBe("密码至少需要 10 个字符");
    expect(render("en", passwordProblem("short")!)).toBe("A password needs at least 10 characters");
    expect(passwordProblem("maqiao.planner-2024", "maqiao.planner")).toEqual({ code: "usrPasswordHasUsername" });
    expect(render("zh", passwordProblem("x".repeat(201))!)).toBe("密码过长（最多 200 个字符）");
    expect(passwordProblem("a long enough passphrase")).toBeNull();
  });
});
