import type { CostShareRefusal } from "../db/drivers";
import type { AppliesTo, CostShareField, CostShareProblem } from "../domain/cost-share-form";
import type { DriverField, DriverProblem } from "../domain/driver-form";
import { FUND_LEVEL_KEY, type FundLevel } from "../domain/plan-formulas";
import { fill, translate, type Language, type MessageKey } from "./i18n";

/*
 * The words of 测算因素 (/drivers) that come from codes: the field names, the fund levels and whom a cost
 * share applies to, and the reasons a driver or a cost share was refused, all from app/i18n.ts.
 * costShareProblemText("zh", "total", { code: "sum", sum: "95" }) → "四级分担比例合计应为 100%，现为 95%"
 */

export const LEVEL_KEY: Record<FundLevel, MessageKey> = FUND_LEVEL_KEY;
export const APPLIES_KEY: Record<AppliesTo, MessageKey> = { 镇: "drvAppliesTown", 街道: "drvAppliesStreet", 全部: "drvAppliesAll" };

export const DRIVER_FIELD_KEY: Record<DriverField, MessageKey> = {
  year: "drvYear",
  code: "drvCode",
  name: "drvName",
  value: "drvValue",
  measure: "drvMeasure",
  status: "status",
  document: "drvDocument",
  note: "note",
};

export const SHARE_FIELD_KEY: Record<CostShareField, MessageKey> = {
  code: "drvCode",
  name: "drvName",
  spending: "drvSpending",
  appliesTo: "drvAppliesTo",
  central: "drvLevelCentral",
  city: "drvLevelCity",
  district: "drvLevelDistrict",
  town: "drvLevelTown",
  effectiveFrom: "effectiveFrom",
  document: "drvDocument",
  note: "note",
};

/** A fund level in the language: levelName("en", "镇级") → "Town". */
export function levelName(language: Language, level: FundLevel): string {
  return translate(language, LEVEL_KEY[level]);
}

/** Whom a share applies to in the language (the stored value when unknown): appliesToName("en", "街道") → "Subdistricts". */
export function appliesToName(language: Language, appliesTo: string): string {
  return appliesTo in APPLIES_KEY ? translate(language, APPLIES_KEY[appliesTo as AppliesTo]) : appliesTo;
}

const DRIVER_REASON: Record<DriverProblem["code"], MessageKey> = {
  required: "drvErrRequired",
  tooLong: "drvErrTooLong",
  year: "drvErrYear",
  code: "drvErrCode",
  value: "drvErrValue",
  decimals: "drvErrDecimals",
  tooLarge: "drvErrTooLarge",
  status: "drvErrStatus",
  wholeCount: "drvErrWholeCount",
  differsFromCode: "drvErrDiffersFromCode",
};

/** Why a driver's field was refused: driverProblemText("zh", "document", { code: "required" }) → "依据文件必填". */
export function driverProblemText(language: Language, field: DriverField, problem: DriverProblem): string {
  return fill(translate(language, DRIVER_REASON[problem.code]), { field: translate(language, DRIVER_FIELD_KEY[field]), ...problem });
}

const SHARE_REASON: Record<CostShareProblem["code"], MessageKey> = {
  required: "drvErrRequired",
  tooLong: "drvErrTooLong",
  code: "drvShareErrCode",
  appliesTo: "drvShareErrAppliesTo",
  percent: "drvShareErrPercent",
  percentDecimals: "drvShareErrPercentDecimals",
  percentOver100: "drvShareErrPercentOver100",
  sum: "drvShareErrSum",
  date: "drvShareErrDate",
};

/** Why a cost share's field (or the sum of its percents, "total") was refused, in the language. */
export function costShareProblemText(language: Language, field: CostShareField | "total", problem: CostShareProblem): string {
  const name = field === "total" ? "" : translate(language, SHARE_FIELD_KEY[field]);
  return fill(translate(language, SHARE_REASON[problem.code]), { field: name, ...problem });
}

const REFUSAL: Record<CostShareRefusal["code"], MessageKey> = {
  notAfterLatest: "drvShareErrNotAfterLatest",
  backdated: "drvShareErrBackdated",
  closed: "drvShareErrClosed",
  appliesChanged: "drvShareErrAppliesChanged",
};

/** Why the database side refused a new version (its period, whom it applies to), in the language. */
export function costShareRefusalText(language: Language, refusal: CostShareRefusal): string {
  const params = refusal.code === "appliesChanged" ? { appliesTo: appliesToName(language, refusal.appliesTo) } : refusal;
  return fill(translate(language, REFUSAL[refusal.code]), params);
}
