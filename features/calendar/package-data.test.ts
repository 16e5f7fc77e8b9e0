import { describe, expect, it } from "vitest";
import { packageEnglishName } from "./package-data.ts";

describe("the chinese-days package's names", () => {
  it("gives the package's English name of its Chinese day names, and none for names people typed", () => {
    expect(packageEnglishName("春节")).toBe("Spring Festival");
    expect(packageEnglishName("元旦")).toBe("New Year's Day");
    expect(packageEnglishName(" 国庆节 ")).toBe("National Day");
    expect(packageEnglishName("台风停工")).toBeUndefined();
    expect(packageEnglishName("")).toBeUndefined();
  });
});
