import Decimal from "decimal.js";
import { isIsoDate } from "./dates.ts";
import { isTargetParseError, parseTarget } from "./targets.ts";
import { msg, type Message, type PlainKey } from "../messages/index.ts";

/**
 * The target declaration (绩效目标填报表, seeds/004): the goals of a project and its indicator tree,
 * as a planner submits them. Validation here is pure; db/declarations.ts stores what passes.
 */

/** Level 1 indicators (一级指标) and the level 2 indicators (二级指标) each admits, as the national templates name them. */
export const INDICATOR_LEVELS: Readonly<Record<string, readonly string[]>> = {
  产出指标: ["数量指标", "质量指标", "时效指标", "成本指标"],
  效益指标: ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
  满意度指标: ["服务对象满意度指标"],
  成本指标: ["经济成本指标", "社会成本指标", "生态环境成本指标"],
};

/** The level 2 indicator of timeliness: the forms offer the batches' 及时率 beside its rows (features/payments). */
export const TIMELINESS_LEVEL2 = "时效指标";

/** The catalogue keys naming the national indicator levels (stored as the templates write them). */
const LEVEL_MESSAGE_KEYS: Readonly<Record<string, PlainKey>> = {
  产出指标: "tgtLevelOutput",
  效益指标: "tgtLevelBenefit",
  满意度指标: "tgtLevelSatisfaction",
  成本指标: "tgtLevelCost",
  数量指标: "tgtLevelQuantity",
  质量指标: "tgtLevelQuality",
  时效指标: "tgtLevelTimeliness",
  经济效益指标: "tgtLevelEconomic",
  社会效益指标: "tgtLevelSocial",
  生态效益指标: "tgtLevelEcological",
  可持续影响指标: "tgtLevelSustainable",
  服务对象满意度指标: "tgtLevelBeneficiarySatisfaction",
  经济成本指标: "tgtLevelEconomicCost",
  社会成本指标: "tgtLevelSocialCost",
  生态环境成本指标: "tgtLevelEnvironmentalCost",
};

/** The catalogue key naming a national indicator level, or null for any other value: levelKey("数量指标") → "tgtLevelQuantity". */
export function levelKey(level: string): PlainKey | null {
  return LEVEL_MESSAGE_KEYS[level] ?? null;
}

/** A stored level 1 or level 2 indicator as a message: levelMessage("数量指标") → 数量指标 / Quantity; any other as stored. */
export function levelMessage(level: string): Message {
  const key = levelKey(level);
  return key ? msg(key) : msg("asWritten", { text: level });
}

/** One indicator row as submitted: every field as typed; id empty for a new row. */
export interface IndicatorInput {
  id: string;
  level1: string;
  level2: string;
  name: string;
  target: string;
  weight: string;
}

/** The declaration as submitted by the edit form: every field as typed. */
export interface DeclarationInput {
  overallGoal: string;
  annualGoal: string;
  goalFromYear: string;
  goalToYear: string;
  planStart: string;
  planEnd: string;
  indicators: IndicatorInput[];
}

/** A validated indicator row; id null for a new one. */
export interface IndicatorValues {
  id: number | null;
  level1: string;
  level2: string;
  name: string;
  target: string;
  weight: string | null;
}

/** The validated declaration, ready to store. */
export interface DeclarationValues {
  overallGoal: string | null;
  annualGoal: string | null;
  goalFromYear: number | null;
  goalToYear: number | null;
  planStart: string | null;
  planEnd: string | null;
  indicators: IndicatorValues[];
}

/** The goals of a declaration, as stored. */
export type DeclarationGoals = Omit<DeclarationValues, "indicators">;

/** A stored declaration as the edit form's text fields (empty strings for nulls), rows in stored order. */
export function declarationInputOf(stored: {
  goals: DeclarationGoals;
  indicators: ReadonlyArray<Omit<IndicatorValues, "id"> & { id: number }>;
}): DeclarationInput {
  const { goals } = stored;
  return {
    overallGoal: goals.overallGoal ?? "",
    annualGoal: goals.annualGoal ?? "",
    goalFromYear: goals.goalFromYear === null ? "" : String(goals.goalFromYear),
    goalToYear: goals.goalToYear === null ? "" : String(goals.goalToYear),
    planStart: goals.planStart ?? "",
    planEnd: goals.planEnd ?? "",
    indicators: stored.indicators.map((row) => ({
      id: String(row.id),
      level1: row.level1,
      level2: row.level2,
      name: row.name,
      target: row.target,
      weight: row.weight ?? "",
    })),
  };
}

/**
 * Field errors keyed by field name ("planEnd") or indicator cell ("indicators.3.target", row index
 * from 0), each a message naming the reason.
 */
export type DeclarationErrors = Record<string, Message>;

const MAX_GOAL = 2_000;
const MAX_NAME = 200;
const MAX_TARGET = 100;

/**
 * Checks a submitted declaration against the form's rules; returns the values to store, or the field
 * errors, and warnings that do not block saving (a level 1 indicator the national template expects
 * is missing, the weights do not add up to 90 or 100).
 * Example: a row { level1: "产出指标", level2: "质量指标", name: "资金结算准确率", target: "≥ 95%" } passes;
 * target "≥abc%" fails with tgtErrTargetUnreadable: "年度指标值无法识别：第2个字符处应为数字，而不是“a”".
 */
export function validateDeclaration(
  input: DeclarationInput,
): { values: DeclarationValues; warnings: Message[] } | { errors: DeclarationErrors } {
  const errors: DeclarationErrors = {};
  const text = (field: keyof DeclarationInput, value: string, max: number): string | null => {
    const trimmed = value.trim();
    if (trimmed.length > max) errors[field] = msg("tgtErrTooLong", { max });
    return trimmed === "" ? null : trimmed;
  };
  const year = (field: keyof DeclarationInput, value: string): number | null => {
    const trimmed = value.trim();
    if (trimmed === "") return null;
    if (!/^\d{4}$/.test(trimmed) || Number(trimmed) < 2000 || Number(trimmed) > 2100) {
      errors[field] = msg("tgtErrYear");
      return null;
    }
    return Number(trimmed);
  };
  const date = (field: keyof DeclarationInput, value: string): string | null => {
    const trimmed = value.trim();
    if (trimmed === "") return null;
    if (!isIsoDate(trimmed)) {
      errors[field] = msg("tgtErrDate");
      return null;
    }
    return trimmed;
  };

  const overallGoal = text("overallGoal", input.overallGoal, MAX_GOAL);
  const annualGoal = text("annualGoal", input.annualGoal, MAX_GOAL);
  const goalFromYear = year("goalFromYear", input.goalFromYear);
  const goalToYear = year("goalToYear", input.goalToYear);
  if (goalFromYear !== null && goalToYear !== null && goalToYear < goalFromYear) errors.goalToYear = msg("tgtErrGoalYears");
  const planStart = date("planStart", input.planStart);
  const planEnd = date("planEnd", input.planEnd);
  if (planStart !== null && planEnd !== null && planEnd < planStart) errors.planEnd = msg("tgtErrPlanDates");

  const indicators: IndicatorValues[] = [];
  const seen = new Map<string, number>();
  let weightTotal = new Decimal(0);
  let weighted = 0;
  input.indicators.forEach((row, index) => {
    const key = (field: keyof IndicatorInput) => `indicators.${index}.${field}`;
    const level1 = row.level1.trim();
    const level2 = row.level2.trim();
    const name = row.name.trim();
    const target = row.target.trim();
    const admitted = INDICATOR_LEVELS[level1];
    if (!admitted) errors[key("level1")] = msg("tgtErrLevel1", { levels: Object.keys(INDICATOR_LEVELS).map(levelMessage) });
    else if (!admitted.includes(level2)) errors[key("level2")] = msg("tgtErrLevel2", { level1: levelMessage(level1), levels: admitted.map(levelMessage) });
    if (name === "") errors[key("name")] = msg("tgtErrNameMissing");
    else if (name.length > MAX_NAME) errors[key("name")] = msg("tgtErrTooLong", { max: MAX_NAME });
    else {
      const identity = `${level1}/${level2}/${name}`;
      const first = seen.get(identity);
      if (first !== undefined) errors[key("name")] = msg("tgtErrDuplicate", { row: first + 1 });
      else seen.set(identity, index);
    }
    if (target === "") errors[key("target")] = msg("tgtErrTargetMissing");
    else if (target.length > MAX_TARGET) errors[key("target")] = msg("tgtErrTooLong", { max: MAX_TARGET });
    else {
      const parsed = parseTarget(target);
      if (isTargetParseError(parsed)) errors[key("target")] = msg("tgtErrTargetUnreadable", { reason: parsed.problem });
    }
    let weight: string | null = null;
    const weightText = row.weight.trim();
    if (weightText !== "") {
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(weightText) || new Decimal(weightText).gt(100))
        errors[key("weight")] = msg("tgtErrWeight");
      else {
        weight = new Decimal(weightText).toFixed(2);
        weightTotal = weightTotal.plus(weight);
        weighted += 1;
      }
    }
    const id = row.id.trim() === "" ? null : Number(row.id);
    if (id !== null && !(Number.isInteger(id) && id > 0)) errors[key("id")] = msg("tgtErrIndicatorId");
    indicators.push({ id, level1, level2, name, target, weight });
  });
  if (weightTotal.gt(100)) errors.indicators = msg("tgtErrWeightTotal", { total: weightTotal.toFixed(2) });
  if (Object.keys(errors).length > 0) return { errors };

  const warnings: Message[] = [];
  for (const level1 of ["产出指标", "效益指标", "满意度指标"]) {
    if (!indicators.some((row) => row.level1 === level1)) warnings.push(msg("tgtWarnLevelMissing", { level1: levelMessage(level1) }));
  }
  if (weighted > 0 && weighted < indicators.length) warnings.push(msg("tgtWarnUnweighted", { count: indicators.length - weighted }));
  // The year-end self-evaluation scores the indicators out of 90 (the funds' 10 apart); some forms weigh them out of 100.
  if (weighted > 0 && !weightTotal.equals(90) && !weightTotal.equals(100)) warnings.push(msg("tgtWarnWeightTotal", { total: weightTotal.toFixed(2) }));
  return { values: { overallGoal, annualGoal, goalFromYear, goalToYear, planStart, planEnd, indicators }, warnings };
}
