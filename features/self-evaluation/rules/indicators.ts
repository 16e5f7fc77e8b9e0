import { money } from "../../../domain/money.ts";
import { indicatorScore, isTargetParseError, parseTarget, TargetError, type JudgedResult, type Judgement } from "../../../domain/targets.ts";
import { msg, type Message } from "../../../messages/index.ts";

/*
 * One indicator row of the self-evaluation (三级指标 with 年度指标值 and 分值, 实际完成值, 得分, 偏差原因分析及
 * 改进措施): the rule's score (domain/targets.ts indicatorScore), the score entered, whether it departs
 * from the rule, and what the row still lacks before the sheet can be submitted.
 */

/** An indicator row as entered; `key` names it (the declared indicator's id). */
export interface SheetIndicator {
  key: string;
  name: string;
  /** 年度指标值 as declared. */
  target: string;
  /** 分值; null when the declaration gives none. */
  weight: string | null;
  /** 实际完成值 of a quantitative indicator ("2629.00(人)"). */
  actual: string | null;
  /** The judgement of a qualitative indicator (shown as 达成指标 …). */
  judgement: Judgement | null;
  /** 得分 as entered; null takes the rule's score. */
  score: string | null;
  /** Why the entered score departs from the rule's (required when it does). */
  scoreReason: string | null;
  /** 偏差原因分析及改进措施 (required when the score is below the weight). */
  deviationAnalysis: string | null;
}

/**
 * A sheet row (as the view shows it, with its declared 年度指标值 as annualTarget) as the rules read it:
 * sheetIndicator({ key: "a1", annualTarget: "≥1800人次", … }) → { key: "a1", target: "≥1800人次", … }.
 */
export function sheetIndicator(row: Omit<SheetIndicator, "target"> & { annualTarget: string }): SheetIndicator {
  const { key, name, annualTarget, weight, actual, judgement, score, scoreReason, deviationAnalysis } = row;
  return { key, name, target: annualTarget, weight, actual, judgement, score, scoreReason, deviationAnalysis };
}

/** What a problem is about: an indicator row (by key) or the whole sheet. */
export type SheetItem = { kind: "indicator"; key: string } | { kind: "sheet" };

/** A field that keeps the sheet from being submitted, and the message naming it. */
export interface SheetProblem {
  item: SheetItem;
  field: string;
  message: Message;
}

/** An indicator row as the rules read it. */
export interface IndicatorReading {
  key: string;
  qualitative: boolean;
  /** The rule's score, 2 decimals; null when it cannot be computed yet (no actual, no judgement, unreadable). */
  ruleScore: string | null;
  /** The score that counts: the entered one, else the rule's. */
  score: string | null;
  /** An entered score that differs from the rule's (the reviewer sees both). */
  departure: boolean;
  /** The counted score is below the weight (偏差原因分析及改进措施 required). */
  belowWeight: boolean;
  problems: SheetProblem[];
}

/** A score as typed: a non-negative number with at most 2 decimals. */
const SCORE = /^\d{1,4}(\.\d{1,2})?$/;

/** True when a typed score can be read: isReadableScore("9.50") → true; isReadableScore("9.505") → false. */
export function isReadableScore(text: string): boolean {
  return SCORE.test(text.trim());
}

const blank = (text: string | null): boolean => text === null || text.trim() === "";

/** The row as named in messages, by its name (the paper form numbers no rows): 指标“培训覆盖人次” / Indicator “培训覆盖人次”. */
export function indicatorItem(name: string): Message {
  return msg("seItemIndicator", { name });
}

/**
 * Reads one row. Quantitative: the rule gives the full weight
 * when met, else weight × actual ÷ target (≥, =) or weight × bound ÷ actual (≤, <). Qualitative: the
 * judgement's band of the weight (达成 80–100% …); an entered score within the band is the rule's score,
 * none gives the band's upper end. Example (003 培训覆盖人次 =5000.00(人), 2629.00(人), weight 10, entered
 * 9.50): ruleScore "5.26", score "9.50", departure true, belowWeight true.
 */
export function readIndicator(row: SheetIndicator): IndicatorReading {
  const item = indicatorItem(row.name);
  const at = { kind: "indicator", key: row.key } as const;
  const problems: SheetProblem[] = [];
  const problem = (field: string, message: Message) => problems.push({ item: at, field, message });

  const target = parseTarget(row.target);
  const qualitative = !isTargetParseError(target) && target.kind === "qualitative";
  const entered = blank(row.score) ? null : row.score!.trim();
  let enteredScore: string | null = null;
  if (entered !== null) {
    if (!SCORE.test(entered)) problem("score", msg("seScoreUnreadable", { item, score: entered }));
    else if (row.weight !== null && money(entered).greaterThan(row.weight)) problem("score", msg("seScoreAboveWeight", { item, score: entered, weight: row.weight }));
    else enteredScore = money(entered).toFixed(2);
  }

  let ruleScore: string | null = null;
  if (row.weight === null) {
    problem("weight", msg("seWeightMissing", { item }));
  } else if (isTargetParseError(target)) {
    problem("target", msg("seTargetUnreadable", { item, reason: target.problem }));
  } else if (target.kind === "qualitative") {
    if (row.judgement === null) {
      problem("judgement", msg("seMissingJudgement", { item }));
    } else {
      const judged: JudgedResult = enteredScore === null ? { judgement: row.judgement } : { judgement: row.judgement, score: enteredScore };
      ruleScore = scoreOrProblem(() => indicatorScore(row.weight!, target, judged), (reason) => problem("score", msg("seActualUnreadable", { item, reason })));
    }
  } else if (blank(row.actual)) {
    problem("actual", msg("seMissingActual", { item }));
  } else {
    ruleScore = scoreOrProblem(() => indicatorScore(row.weight!, target, row.actual!.trim()), (reason) => problem("actual", msg("seActualUnreadable", { item, reason })));
  }

  const score = enteredScore ?? ruleScore;
  const departure = enteredScore !== null && ruleScore !== null && !money(enteredScore).equals(ruleScore);
  if (departure && blank(row.scoreReason)) problem("scoreReason", msg("seMissingScoreReason", { item, score: enteredScore!, rule: ruleScore! }));
  const belowWeight = score !== null && row.weight !== null && money(score).lessThan(row.weight);
  if (belowWeight && blank(row.deviationAnalysis)) problem("deviationAnalysis", msg("seMissingDeviationAnalysis", { item }));
  return { key: row.key, qualitative, ruleScore, score, departure, belowWeight, problems };
}

function scoreOrProblem(compute: () => string, onError: (reason: Message) => void): string | null {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    onError(error.detail);
    return null;
  }
}
