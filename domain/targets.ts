import Decimal from "decimal.js";
import { money } from "./money.ts";
import { msg, render, type Message, type PlainKey } from "../messages/index.ts";

/**
 * Performance targets (绩效目标): the target-value expressions of the declaration and
 * self-evaluation forms, their completion, and the national self-evaluation scoring rule.
 *
 * Reading of a target value (年度指标值):
 * - It is **quantitative** when it starts with a comparison operator, or when the whole text is
 *   a number with a unit (and perhaps a remark in parentheses): `≥95(%)`, `≤2800元/人`, `100%`,
 *   `1809人次`, `0 发生`, `100%（16 个）`. Without an operator the target means "=" (reach the value).
 * - It is **qualitative** when it starts with neither an operator nor a digit (及时, 建立健全,
 *   较2023年减少, XX%（目标人群应保尽保）), or when a leading number is followed by a phrase rather
 *   than a unit: digits reappear (`9 月 30 日前` is a date, not 9 of the unit "月30日前"), or the tail
 *   starts with 年/月 or holds 前 后 内 以 底 约 左右 完成 (`2023年底前完成`, `60日内`, `90%以上`). Such
 *   phrases are judged, not computed: reading `60日内` as "= 60" would compute a wrong completion.
 * - It is **malformed** when it starts with an operator that is not followed by a valid number,
 *   unit and nothing else (`≥`, `≥abc%`, `==5`, `≥9.5.1%`, `<=-`), or when a leading number is
 *   itself broken (`9.`, `9.5.1%`). The error names the character position and what was expected.
 * Full-width forms are read like their ASCII forms (＞ ＜ ＝ ％ （ ） ０-９), as are ≧ ≦ >= <=.
 */

/** The comparison of a quantitative target. */
export type TargetOperator = "=" | "≥" | "≤" | "<" | ">";

/** A target with operator, exact value and unit: `≤2800元/人` → { operator: "≤", value: "2800", unit: "元/人" }. */
export interface QuantitativeTarget {
  kind: "quantitative";
  operator: TargetOperator;
  /** The number exactly as written (full-width digits and thousands separators removed). */
  value: string;
  /** The unit without spaces or parentheses: "%", "元/人", "人次", "万元/人" (written 万/人), "" for none. */
  unit: string;
  /** A trailing remark in parentheses, e.g. "16 个" of `100%（16 个）`; null when there is none. */
  note: string | null;
  /** The target as written, trimmed. */
  text: string;
}

/** A target judged in words (及时, 有效, 建立健全, 逐步提高 …). */
export interface QualitativeTarget {
  kind: "qualitative";
  text: string;
}

export type ParsedTarget = QuantitativeTarget | QualitativeTarget;

/** Why a target value could not be read: the 0-based position in the text as given, and what was expected there. */
export interface TargetParseError {
  error: true;
  /** 0-based index into the text as passed (the message counts from 1). */
  position: number;
  /** What was expected, as the reading names it internally (数字, 单位或结尾 …; EXPECTED_KEYS names it for people). */
  expected: string;
  /** The problem for people: tgtParseExpectedFound "第2个字符处应为数字，而不是“a”" / "at character 2: a digit expected, not “a”". */
  problem: Message;
  /** The problem's Chinese text, for logs (and callers not yet rendering `problem`). */
  message: string;
}

/** What the reading expected where it stopped, as catalogue keys. */
const EXPECTED_KEYS: Readonly<Record<string, PlainKey>> = {
  数字: "tgtExpDigit",
  小数点后的数字: "tgtExpDecimals",
  单位或结尾: "tgtExpUnitOrEnd",
  "“）”": "tgtExpCloseParen",
  单位: "tgtExpUnit",
  结尾: "tgtExpEnd",
  "比较符 =、≥、≤、<、>": "tgtExpOperator",
  "比较符、数字或文字": "tgtExpOperatorDigitOrText",
  "数字（实际值不带比较符）": "tgtExpDigitNoOperator",
};

/** An actual value or a judgement that cannot be used: `detail` says why (`message` is its Chinese text, for logs). */
export class TargetError extends RangeError {
  constructor(readonly detail: Message) {
    super(render("zh", detail));
    this.name = "TargetError";
  }
}

/** The judgements as messages: 达成 / Met … (stored as written). */
export const JUDGEMENT_KEYS: Readonly<Record<Judgement, PlainKey>> = { 达成: "tgtJudgementMet", 部分达成: "tgtJudgementPartly", 未达成: "tgtJudgementNotMet" };

/** A judgement as a message: judgementMessage("部分达成") → 部分达成 / Partly met. */
export function judgementMessage(judgement: Judgement): Message {
  return msg(JUDGEMENT_KEYS[judgement]);
}

/** The judgement of a qualitative indicator. */
export type Judgement = "达成" | "部分达成" | "未达成";
export const JUDGEMENTS: readonly Judgement[] = ["达成", "部分达成", "未达成"];

/** The share of the weight (and the completion band) of each judgement, in percent, per the national template. */
export const JUDGEMENT_BANDS: Readonly<Record<Judgement, { from: string; to: string }>> = {
  达成: { from: "80.00", to: "100.00" },
  部分达成: { from: "60.00", to: "80.00" },
  未达成: { from: "0.00", to: "60.00" },
};

/** A qualitative result: the judgement alone, or with the completion (for targetCompletion) or score (for indicatorScore) within its band. */
export interface JudgedResult {
  judgement: Judgement;
  /** Completion in percent, within the judgement's band. */
  completion?: string;
  /** Score in points, within the judgement's band of the weight. */
  score?: string;
}

const OPERATOR_CHARS: ReadonlyMap<string, TargetOperator> = new Map([
  ["=", "="],
  ["≥", "≥"],
  ["≤", "≤"],
  ["<", "<"],
  [">", ">"],
]);
/** Comparison-like characters that are not supported as target operators. */
const UNSUPPORTED_OPERATORS = new Set(["≠", "≈", "≒", "~", "±"]);

/** Chinese digits, never part of a unit after a number ("≥8五%" is a typo); 万, 千 and 百 are (万元, 千克, 百分点). */
const CHINESE_DIGITS = new Set(["〇", "零", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九"]);

/** Bounds that contradict each other in one value ("100%以上以下"). */
const CONTRADICTORY_BOUNDS = /(以上|以下|以内)\S*?(以上|以下|以内)/;

/** What follows a bare number in a phrase but never in a unit: dates, deadlines, "以上/以下/以内". */
const PHRASE_TAIL = /^[年月]|[前后内以底约]|左右|完成/;

/** One character in its half-width form (full-width ASCII, ideographic space, ≧ ≦ ⩾ ⩽), keeping positions 1:1. */
function normalizeChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  if (char === "\u3000") return " ";
  if (char === "≧" || char === "⩾") return "≥";
  if (char === "≦" || char === "⩽") return "≤";
  return char;
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= "0" && char <= "9";
const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);

type ScanFailure = { failed: true; position: number; expected: string; stage: "number" | "rest" };
type ScanSuccess = { failed: false; operator: TargetOperator | null; value: string; unit: string; note: string | null };

function failure(position: number, expected: string, stage: "number" | "rest"): ScanFailure {
  return { failed: true, position, expected, stage };
}

/** Reads `[operator] number [unit | (unit)] [(note)]` from the normalized characters, starting at a non-space. */
function scan(original: string, chars: readonly string[], start: number): ScanSuccess | ScanFailure {
  let i = start;
  const skipSpaces = () => {
    while (isSpace(chars[i])) i += 1;
  };

  let operator: TargetOperator | null = null;
  const first = chars[i] ?? "";
  if (OPERATOR_CHARS.has(first)) {
    operator = OPERATOR_CHARS.get(first) ?? null;
    i += 1;
    if ((first === ">" || first === "<") && chars[i] === "=") {
      operator = first === ">" ? "≥" : "≤";
      i += 1;
    }
    skipSpaces();
  }

  if (!isDigit(chars[i])) return failure(i, "数字", "number");
  let value = "";
  while (i < chars.length) {
    const char = chars[i];
    if (isDigit(char)) {
      value += char;
      i += 1;
    } else if (char === "," && [1, 2, 3].every((k) => isDigit(chars[i + k])) && !isDigit(chars[i + 4])) {
      i += 1; // thousands separator: 3,630,250.00
    } else {
      break;
    }
  }
  if (chars[i] === ".") {
    if (!isDigit(chars[i + 1])) return failure(i + 1, "小数点后的数字", "number");
    value += ".";
    i += 1;
    while (isDigit(chars[i])) {
      value += chars[i];
      i += 1;
    }
  }
  if (chars[i] === "." || chars[i] === ",") return failure(i, "单位或结尾", "number");
  skipSpaces();

  let unit = "";
  if (chars[i] === "(") {
    const close = chars.indexOf(")", i + 1);
    if (close === -1) return failure(chars.length, "“）”", "rest");
    unit = chars.slice(i + 1, close).join("").replace(/\s+/g, "");
    if (unit === "") return failure(i + 1, "单位", "rest");
    i = close + 1;
  } else {
    while (i < chars.length && chars[i] !== "(") {
      const char = chars[i] ?? "";
      if (isDigit(char) || char === "." || OPERATOR_CHARS.has(char) || CHINESE_DIGITS.has(char)) return failure(i, "单位或结尾", "rest");
      if (!isSpace(char)) unit += char;
      i += 1;
    }
  }
  if (/\d/.test(unit)) return failure(i, "单位或结尾", "rest");
  skipSpaces();

  let note: string | null = null;
  if (chars[i] === "(") {
    const close = chars.indexOf(")", i + 1);
    if (close === -1) return failure(chars.length, "“）”", "rest");
    note = original.slice(i + 1, close).trim();
    i = close + 1;
    skipSpaces();
  }
  if (i < chars.length) return failure(i, "结尾", "rest");

  return { failed: false, operator, value, unit: normalizeUnit(unit), note };
}

/** Units as the forms write them, with 万/人 read as 万元/人 (002 writes both for the same indicator). */
function normalizeUnit(unit: string): string {
  return unit.startsWith("万/") ? `万元${unit.slice(1)}` : unit;
}

function parseError(text: string, position: number, expected: string): TargetParseError {
  const found = text[position];
  const key = EXPECTED_KEYS[expected];
  const what = key ? msg(key) : msg("asWritten", { text: expected });
  const problem = found === undefined ? msg("tgtParseExpected", { position: position + 1, expected: what }) : msg("tgtParseExpectedFound", { position: position + 1, expected: what, found });
  return { error: true, position, expected, problem, message: render("zh", problem) };
}

/**
 * Parses a target value into operator, exact value and unit, or a qualitative term, or an error
 * naming the position: parseTarget("≤2800元/人") → { kind: "quantitative", operator: "≤", value: "2800",
 * unit: "元/人", … }; parseTarget("及时") → { kind: "qualitative", text: "及时" }; parseTarget("≥") → { error: true,
 * position: 1, expected: "数字", problem: 第2个字符处应为数字 / at character 2: a digit expected, … }.
 */
export function parseTarget(text: string): ParsedTarget | TargetParseError {
  const chars = text.split("").map(normalizeChar);
  let start = 0;
  while (isSpace(chars[start])) start += 1;
  if (start === chars.length) return { error: true, position: 0, expected: "指标值", problem: msg("tgtParseEmpty"), message: render("zh", msg("tgtParseEmpty")) };

  const first = chars[start] ?? "";
  if (UNSUPPORTED_OPERATORS.has(first)) return parseError(text, start, "比较符 =、≥、≤、<、>");
  const hasOperator = OPERATOR_CHARS.has(first);
  if (!hasOperator && !isDigit(first)) {
    if (!/\p{L}/u.test(text)) return parseError(text, start, "比较符、数字或文字");
    return { kind: "qualitative", text: text.trim() };
  }

  const contradiction = CONTRADICTORY_BOUNDS.exec(text);
  if (contradiction) {
    return parseError(text, contradiction.index + contradiction[0].length - contradiction[2]!.length, "单位或结尾");
  }
  const scanned = scan(text, chars, start);
  if (scanned.failed) {
    if (!hasOperator && scanned.stage === "rest") return { kind: "qualitative", text: text.trim() };
    return parseError(text, scanned.position, scanned.expected);
  }
  if (!hasOperator && PHRASE_TAIL.test(scanned.unit)) return { kind: "qualitative", text: text.trim() };
  return {
    kind: "quantitative",
    operator: scanned.operator ?? "=",
    value: scanned.value,
    unit: scanned.unit,
    note: scanned.note,
    text: text.trim(),
  };
}

/** True when parseTarget failed: isTargetParseError(parseTarget("==5")) → true. */
export function isTargetParseError<T extends object>(result: T | TargetParseError): result is TargetParseError {
  return "error" in result;
}

/**
 * Reads an actual value (实际完成值) as number and unit, without operator: parseActual("2629.00(人)") →
 * { value: "2629.00", unit: "人" }; parseActual("＜2800元/人") → an error (a bound is not a value).
 */
export function parseActual(text: string): { value: string; unit: string } | TargetParseError {
  const parsed = parseTarget(text);
  if (isTargetParseError(parsed)) return parsed;
  const start = text.length - text.trimStart().length;
  if (parsed.kind === "qualitative") return parseError(text, start, "数字");
  if (OPERATOR_CHARS.has(normalizeChar(text[start] ?? ""))) return parseError(text, start, "数字（实际值不带比较符）");
  return { value: parsed.value, unit: parsed.unit };
}

/** The completion of one indicator: percentages as 2-decimal strings, deviation as a signed number with unit. */
export interface TargetCompletion {
  /** Completion in percent, uncapped (≥/=: actual ÷ target; ≤/< beyond the bound: bound ÷ actual); null when not known. */
  completion: string | null;
  /** The target is met (达成); null when there is no actual or judgement yet. */
  met: boolean | null;
  /** How far from meeting the target: "0…" when met, e.g. "-2371人" short of a ≥/= target, "200元/人" beyond a bound; "%" as 个百分点. */
  deviation: string | null;
  /** For ≤/< targets beyond a non-zero bound: (actual − bound) ÷ bound, in percent; "0.00" within the bound; null otherwise. */
  exceededBy: string | null;
  /** For qualitative judgements, the completion band for display (达成 80–100). */
  band: { from: string; to: string } | null;
}

const NOT_REPORTED: TargetCompletion = { completion: null, met: null, deviation: null, exceededBy: null, band: null };

function actualValue(target: QuantitativeTarget, actual: string): Decimal {
  const parsed = parseActual(actual);
  if (isTargetParseError(parsed)) throw new TargetError(msg("tgtActualUnreadable", { actual, reason: parsed.problem }));
  if (parsed.unit !== "" && target.unit !== "" && parsed.unit !== target.unit) {
    throw new TargetError(msg("tgtUnitMismatch", { unit: parsed.unit, target: target.unit }));
  }
  return money(parsed.value);
}

function withUnit(amount: Decimal, unit: string): string {
  return `${amount.toFixed()}${unit === "%" ? "个百分点" : unit}`;
}

const percentOf = (numerator: Decimal, denominator: Decimal): string =>
  numerator.times(100).dividedBy(denominator).toFixed(2, Decimal.ROUND_HALF_UP);

/** ≤ and < are upper bounds, and so is "= 0" (0发生: nothing may happen). */
function isUpperBound(target: QuantitativeTarget): boolean {
  return target.operator === "≤" || target.operator === "<" || (target.operator === "=" && money(target.value).isZero());
}

/** Met, and the exact ratio actual ÷ target (≥/=) or bound ÷ actual (≤/<) where it is defined. */
function measure(target: QuantitativeTarget, actual: Decimal): { met: boolean; ratio: Decimal } {
  const goal = money(target.value);
  if (isUpperBound(target)) {
    const met = target.operator === "<" ? actual.lessThan(goal) : actual.lessThanOrEqualTo(goal);
    if (goal.isZero() || actual.lessThanOrEqualTo(0)) return { met, ratio: met ? money(1) : money(0) };
    return { met, ratio: met ? money(1) : goal.dividedBy(actual) };
  }
  const met = target.operator === ">" ? actual.greaterThan(goal) : actual.greaterThanOrEqualTo(goal);
  if (goal.isZero()) return { met, ratio: met ? money(1) : money(0) };
  return { met, ratio: actual.dividedBy(goal) };
}

/**
 * Whether an actual written as a bound settles the target: the 000 form reports "＜2800元/人" against
 * "≤2800元/人" (every payment stayed below the cap). True when the bound lies within the target on
 * the same side; false when the actual is not a bound (it is read as a value); a bound that does
 * not settle the target is an error asking for the value.
 */
function boundSettlesTarget(target: QuantitativeTarget, actual: string): boolean {
  const start = actual.length - actual.trimStart().length;
  if (!OPERATOR_CHARS.has(normalizeChar(actual[start] ?? ""))) return false;
  const bound = parseTarget(actual);
  if (isTargetParseError(bound) || bound.kind !== "quantitative" || bound.operator === "=") return false;
  if (bound.unit !== "" && target.unit !== "" && bound.unit !== target.unit) {
    throw new TargetError(msg("tgtUnitMismatch", { unit: bound.unit, target: target.unit }));
  }
  const limit = money(bound.value);
  const goal = money(target.value);
  const upper = (operator: TargetOperator) => operator === "≤" || operator === "<";
  const lower = (operator: TargetOperator) => operator === "≥" || operator === ">";
  // A strict bound on either side is enough at equality: x < 2800 meets ≤ 2800 and < 2800.
  const strict = bound.operator === "<" || bound.operator === ">" || target.operator === "≤" || target.operator === "≥";
  const settles =
    (upper(bound.operator) && upper(target.operator) && (limit.lessThan(goal) || (limit.equals(goal) && strict))) ||
    (lower(bound.operator) && lower(target.operator) && (limit.greaterThan(goal) || (limit.equals(goal) && strict)));
  if (!settles) throw new TargetError(msg("tgtBoundNotSettling", { actual: actual.trim(), target: target.text }));
  return true;
}

/**
 * The completion of an indicator against its target. ≥, > and = (reach the value; over-delivery
 * counts as met): actual ÷ target, uncapped. ≤ and < (and = 0, e.g. "0发生"): 100.00 while within
 * the bound, else bound ÷ actual with exceededBy. An actual written as a bound that settles the
 * target ("＜2800元/人" against "≤2800元/人", as the 000 form reports it) is met. Qualitative: from the judgement passed in.
 * Example (003 培训覆盖人次): targetCompletion(parseTarget("=5000.00(人)"), "2629") → { completion: "52.58",
 * met: false, deviation: "-2371人", … }.
 */
export function targetCompletion(target: ParsedTarget, actual: string | null, judgement?: Judgement | JudgedResult): TargetCompletion {
  if (target.kind === "qualitative") return judgedCompletion(judgement);
  if (actual === null || actual.trim() === "") return NOT_REPORTED;
  if (boundSettlesTarget(target, actual)) {
    return { completion: "100.00", met: true, deviation: withUnit(money(0), target.unit), exceededBy: isUpperBound(target) ? "0.00" : null, band: null };
  }
  const value = actualValue(target, actual);
  const goal = money(target.value);
  const { met, ratio } = measure(target, value);
  const completion = ratio.times(100).toFixed(2, Decimal.ROUND_HALF_UP);
  const deviation = met ? withUnit(money(0), target.unit) : withUnit(value.minus(goal), target.unit);
  let exceededBy: string | null = null;
  if (isUpperBound(target) && !goal.isZero()) exceededBy = met ? "0.00" : percentOf(value.minus(goal), goal);
  return { completion, met, deviation, exceededBy, band: null };
}

function judgedCompletion(judgement: Judgement | JudgedResult | undefined): TargetCompletion {
  if (judgement === undefined) return NOT_REPORTED;
  const result: JudgedResult = typeof judgement === "string" ? { judgement } : judgement;
  const band = JUDGEMENT_BANDS[result.judgement];
  let completion: string | null = result.judgement === "达成" ? "100.00" : null;
  if (result.completion !== undefined) {
    const given = money(result.completion);
    if (given.lessThan(band.from) || given.greaterThan(band.to)) {
      throw new TargetError(msg("tgtJudgedCompletionRange", { judgement: judgementMessage(result.judgement), from: band.from, to: band.to }));
    }
    completion = given.toFixed(2, Decimal.ROUND_HALF_UP);
  }
  return { completion, met: result.judgement === "达成", deviation: null, exceededBy: null, band };
}

/**
 * The self-evaluation score of one indicator (national template), 2 decimals half-up: full marks
 * when met; otherwise weight × actual ÷ target (≥/=) or weight × bound ÷ actual (≤/<); qualitative:
 * the upper end of the judgement's band of the weight unless a score is given.
 * Example (003 培训覆盖人次, the sheet says 9.50): indicatorScore("10", parseTarget("=5000.00(人)"), "2629.00(人)") → "5.26".
 */
export function indicatorScore(weight: string, target: ParsedTarget, result: string | Judgement | JudgedResult): string {
  const fullMarks = money(weight);
  if (target.kind === "qualitative") {
    const judged: JudgedResult | null =
      typeof result === "string" ? ((JUDGEMENTS as readonly string[]).includes(result) ? { judgement: result as Judgement } : null) : result;
    if (judged === null) throw new TargetError(msg("tgtJudgementExpected", { text: String(result) }));
    const band = JUDGEMENT_BANDS[judged.judgement];
    if (judged.score === undefined) return fullMarks.times(band.to).dividedBy(100).toFixed(2, Decimal.ROUND_HALF_UP);
    const score = money(judged.score);
    const low = fullMarks.times(band.from).dividedBy(100);
    const high = fullMarks.times(band.to).dividedBy(100);
    if (score.lessThan(low) || score.greaterThan(high)) {
      throw new TargetError(msg("tgtJudgedScoreRange", { judgement: judgementMessage(judged.judgement), low: low.toFixed(2), high: high.toFixed(2) }));
    }
    return score.toFixed(2, Decimal.ROUND_HALF_UP);
  }
  if (typeof result !== "string") throw new TargetError(msg("tgtActualRequired"));
  const { met, ratio } = measure(target, actualValue(target, result));
  if (met) return fullMarks.toFixed(2, Decimal.ROUND_HALF_UP);
  const share = Decimal.min(Decimal.max(ratio, 0), 1);
  return fullMarks.times(share).toFixed(2, Decimal.ROUND_HALF_UP);
}
