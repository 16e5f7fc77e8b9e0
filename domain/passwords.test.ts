import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";

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
    expect(passwordProblem("short")).toMatch(/至少/);
    expect(passwordProblem("maqiao.planner-2024", "maqiao.planner")).toMatch(/用户名/);
    expect(passwordProblem("a long enough passphrase")).toBeNull();
  });
});
