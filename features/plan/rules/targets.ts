import Decimal from "decimal.js";
import { money, sumMoney } from "../../../domain/money.ts";
import type { DriverInput, FormulaKind } from "../../../domain/plan-formulas.ts";
import { isTargetParseError, parseTarget, type TargetOperator } from "../../../domain/targets.ts";
import type { PlanLine } from "./zero-based-plan.ts";

/*
 * "Budget and targets agree" (预算与绩效目标相符), pure: the quantity targets (产出指标 › 数量指标) of a
 * project's performance declaration next to the quantities the zero-based plan proposes for it, flagged
 * when they differ by more than a fifth. seeds/003: 武警官兵人数 =160.00(人) against the 武警医疗经费
 * line's 160 officers → 100.00%, agrees.
 *
 * Which indicators count: 二级指标 数量指标 whose 年度指标值 reads (by parseTarget, domain/targets.ts) as a
 * number of a count measure — 人, 人次, 户, 户次, 次, 家, 个, 件, 例, 所 (名 and 位 read as 人; 万人, 万人次 …
 * as 10,000 of them). Percentages, amounts (元, 万元, 元/人), counts without a unit, qualitative targets
 * (应保尽保, 目标人群基本覆盖) and a target of 0 (nothing to compare a share with) are left out.
 *
 * What a plan line counts (its measure):
 * - a formula line (drivers × standard × share): its quantity driver's measure (武警官兵人数, 人); of a
 *   clearing (participants this year less last year's) and an overspend share (last year's overspend
 *   spread over its participants) the quantity is no headcount of the year, so they never count; and
 *   lines on the same driver and year (筹集医疗 and 筹集照护, both the 497 participants) count once;
 * - a modelled line (method "model", forecast from monthly person-times): 人次;
 * - a line on a standard: a rate (比例, "%") is paid per person-time → 人次; a standard per head
 *   ("元/人", "元/人/年", "元/户" …) → 人 (户 …);
 * - any other line (executed, carried: a lump sum of quantity 1; a unit price of its own without a
 *   standard): no known measure, never compared.
 *
 * Matching rule — which planned lines make up a target:
 * 1. the project's lines of the target's measure (a 人次 target with the lines counted in person-times,
 *    a 人 target with the lines counted in persons);
 * 2. among them, lines that name the indicator's subject are preferred. The subject is the indicator's
 *    name without scope words (各镇, 各街道, 全区, 全年 …) and count words (总人次, 人数, 户数, 数量, 规模 …);
 *    a text names it when they share a run of characters at least 2 long and at least half the subject,
 *    not a generic word such as 医疗, 救助, 资金, 经费 (武警官兵人数 → 武警官兵, which shares 武警 with the
 *    item 武警医疗经费). In order:
 *    "item": lines whose item or quantity driver names the subject (表1-3-1's composition groups
 *    unlike lines: 马桥's 内扣社区医疗互助帮困资金 holds the 互助帮困 participants and the 106 persons of
 *    the 居保个人缴费补助, so a 互助帮困人数 takes the former only);
 *    "composition": else lines whose composition names it;
 *    a total (the name says 总, 合计 or 全部: 医疗救助总人次) takes both at once — every line of the
 *    measure whose item, driver or composition names the subject (马桥's four 医疗救助 lines in
 *    person-times, 门急诊起付线补助 included);
 * 3. "measure": else all the lines of step 1; with none, the indicator is returned with planned null
 *    (无对应计划数量) and never flagged.
 * The lines summed are listed (item, composition, quantity), as are the lines of the measure set aside
 * (clearing, overspend, same driver), so that a reader can add them up by hand.
 *
 * Parts of one count: indicators of one project with the same measure and the same summed lines whose
 * names differ only by their scope prefix (各镇互助帮困人数, 各街道互助帮困人数 — a count declared per town
 * and per street) are compared together: the sum of their targets (29,042 + 7,231 = 36,273) against the
 * planned quantity (the whole district's 32,793 participants), not each against the whole.
 *
 * Flag: |planned − target| ÷ target > 20% (exact decimals), whatever the operator (= ≥ ≤ …): the budget
 * is built on the quantity, so either way a fifth apart means the declaration and the plan describe
 * different things.
 */

/** The share of the target beyond which the plan and the declaration disagree. */
export const AGREEMENT_TOLERANCE = "0.2";

/** A plan line as this check needs it (PlanLine fits). */
export type PlanQuantityLine = Pick<PlanLine, "key" | "projectId" | "projectName" | "unitId" | "item" | "composition" | "quantity" | "method"> & {
  standard?: { unit: string } | null;
  derivation?: { kind: FormulaKind; quantity: Pick<DriverInput, "code" | "name" | "year" | "measure"> } | null;
};

/** An indicator of a project's declaration; projectId is the plan's (base-year) project it is compared with. */
export interface TargetIndicator {
  projectId: number;
  level1: string;
  level2: string;
  name: string;
  target: string;
  /** The year of the declaration the indicator comes from (see pickDeclarations). */
  declarationYear?: number;
  /** The project that holds the declaration (the target year's, or the plan's own base-year project). */
  declaredProjectId?: number;
}

/** Why a line of the target's measure was not summed. */
export type SetAsideReason = "clearing" | "overspend" | "sameDriver";

/** A planned line as listed next to a target. */
export interface MatchedLine {
  key: string;
  item: string;
  composition: string;
  /** The line's proposed quantity, 2 decimals. */
  quantity: string;
  measure: string;
}

/** One quantity target of a declaration next to the plan. */
export interface QuantityTargetCheck {
  /** 三级指标 as declared: "武警官兵人数". */
  name: string;
  level1: string;
  level2: string;
  /** 年度指标值 as declared: "=160.00(人)". */
  target: string;
  operator: TargetOperator;
  /** The target's number (× 10,000 for 万人 …), 2 decimals: "160.00". */
  targetValue: string;
  /** The count measure: "人", "人次", "户", "家" … */
  measure: string;
  /** What the plan is compared with: targetValue, or the sum of the parts' targets (see together). */
  comparedTarget: string;
  /** The other parts of one count whose targets were added to this one's (empty: compared alone). */
  together: string[];
  /**
   * How the lines were chosen: their item or driver names the indicator's subject ("item"), their
   * composition does (or, for a total, either: "composition"), by measure alone ("measure"); null: none.
   */
  match: "item" | "composition" | "measure" | null;
  /** The lines summed. */
  lines: MatchedLine[];
  /** Lines of the measure that were matched but not summed, with why. */
  setAside: Array<MatchedLine & { reason: SetAsideReason }>;
  /** Σ the lines' quantities, 2 decimals; null when nothing plausible matches (无对应计划数量). */
  planned: string | null;
  /** planned ÷ comparedTarget × 100, 2 decimals half-up; null without planned. */
  ratio: string | null;
  /** (planned − comparedTarget) ÷ comparedTarget × 100, signed, 2 decimals half-up; null without planned. */
  difference: string | null;
  /** planned − comparedTarget, 2 decimals; null without planned. */
  gap: string | null;
  /** |planned − comparedTarget| ÷ comparedTarget > 20%; false without planned. */
  flagged: boolean;
}

/** A plan project's quantity targets. */
export interface ProjectTargetAgreement {
  projectId: number;
  projectName: string;
  unitId: number;
  /** The declaration read: its year and project; null when the project has no indicators at all. */
  declaration: { year: number | null; projectId: number | null } | null;
  /** The quantity targets in declared order (empty when the declaration has none with a number). */
  indicators: QuantityTargetCheck[];
  /** How many of them are flagged. */
  flagged: number;
}

/** Count measures as declared, and what they read as. */
const COUNT_MEASURES: Readonly<Record<string, string>> = {
  人: "人",
  名: "人",
  位: "人",
  人次: "人次",
  户: "户",
  户次: "户次",
  次: "次",
  家: "家",
  个: "个",
  件: "件",
  例: "例",
  所: "所",
};

/**
 * A unit read as a count measure, with its scale: countMeasure("人次") → { measure: "人次", scale: "1" };
 * countMeasure("万人") → { measure: "人", scale: "10000" }; countMeasure("%"), countMeasure("元/人") → null.
 */
export function countMeasure(unit: string): { measure: string; scale: string } | null {
  const text = unit.replace(/[\s()（）]/g, "");
  const measure = COUNT_MEASURES[text];
  if (measure) return { measure, scale: "1" };
  const tenThousands = text.startsWith("万") ? COUNT_MEASURES[text.slice(1)] : undefined;
  return tenThousands ? { measure: tenThousands, scale: "10000" } : null;
}

/**
 * What a plan line's quantity counts, or null when it is no count (see the header): a formula line its
 * driver's measure, a modelled line 人次, a line on a rate 人次, on a per-head standard its head.
 */
export function lineMeasure(line: PlanQuantityLine): { measure: string; scale: string } | null {
  if (line.method === "formula") return line.derivation ? countMeasure(line.derivation.quantity.measure) : null;
  if (line.method === "model") return { measure: "人次", scale: "1" };
  if (line.method === "standard" && line.standard) {
    const unit = line.standard.unit.replace(/\s/g, "");
    if (unit === "%") return { measure: "人次", scale: "1" };
    const head = /^万?元\/([^/]+)/.exec(unit)?.[1];
    const measure = head ? countMeasure(head) : null;
    return measure ? { measure: measure.measure, scale: "1" } : null;
  }
  return null;
}

/** A quantity target of a count measure, or null (qualitative, %, 元, no unit, zero, unreadable). */
export function quantityTarget(indicator: Pick<TargetIndicator, "level2" | "target">): { operator: TargetOperator; value: Decimal; measure: string } | null {
  if (!indicator.level2.replace(/\s/g, "").includes("数量")) return null;
  const parsed = parseTarget(indicator.target);
  if (isTargetParseError(parsed) || parsed.kind !== "quantitative") return null;
  const measure = countMeasure(parsed.unit);
  if (!measure) return null;
  const value = money(parsed.value).times(measure.scale);
  if (value.lessThanOrEqualTo(0)) return null;
  return { operator: parsed.operator, value, measure: measure.measure };
}

const SCOPE_PREFIX = /^(各街镇|各镇|各街道|各区|各村居|镇|街道|城镇|农村)/;
const SCOPE_WORDS = /^(全区|全市|全镇|全年|年度|本年度|本年|当年|计划)/;
const COUNT_SUFFIX = /(总人次|人次数|人次|总人数|人数|户次|户数|次数|家数|个数|件数|例数|总数|数量|规模|总量|人|户|次|家)$/;
/** Words too common in these projects to say what a line is about. */
const GENERIC = new Set([
  "医疗", "医保", "救助", "补助", "补贴", "保障", "资金", "经费", "费用", "项目", "工作", "服务", "管理", "政策", "对象", "人员",
  "年度", "市级", "区级", "镇级", "社区", "居民", "系统",
]);

/** The subject an indicator's name counts: subjectOf("各镇互助帮困人数") → "互助帮困"; subjectOf("武警官兵人数") → "武警官兵". */
export function subjectOf(name: string): string {
  let subject = name.replace(/[（(][^）)]*[）)]/g, "").replace(/\s/g, "");
  for (let previous = ""; previous !== subject; ) {
    previous = subject;
    subject = subject.replace(SCOPE_PREFIX, "").replace(SCOPE_WORDS, "");
    const stripped = subject.replace(COUNT_SUFFIX, "");
    if (stripped.length >= 2) subject = stripped;
  }
  return subject;
}

/** The longest run of characters two texts share that is not a generic word ("" when none). */
function longestShared(a: string, b: string): string {
  let best = "";
  for (let i = 0; i < a.length; i++)
    for (let j = i + 2; j <= a.length; j++) {
      const part = a.slice(i, j);
      if (!b.includes(part)) break;
      if (part.length > best.length && !GENERIC.has(part)) best = part;
    }
  return best;
}

/**
 * Whether a text names a subject: they share a run of at least 2 characters and at least half the
 * subject that is not a generic word. namesSubject("武警官兵", "武警医疗经费") → true (武警);
 * namesSubject("住院救助", "市级政策门急诊救助") → false (救助 is generic).
 */
export function namesSubject(subject: string, text: string): boolean {
  if (subject.length < 2) return false;
  const shared = longestShared(subject, text);
  return shared.length >= 2 && shared.length * 2 >= subject.length;
}

const listed = (line: PlanQuantityLine, measure: string): MatchedLine => ({
  key: line.key,
  item: line.item,
  composition: line.composition,
  quantity: money(line.quantity).toFixed(2),
  measure,
});

const percent = (value: Decimal) => value.times(100).toFixed(2, Decimal.ROUND_HALF_UP);

/** The comparison figures of a planned quantity against a target. */
function compare(planned: Decimal | null, target: Decimal): Pick<QuantityTargetCheck, "planned" | "ratio" | "difference" | "gap" | "flagged"> {
  if (planned === null) return { planned: null, ratio: null, difference: null, gap: null, flagged: false };
  const gap = planned.minus(target);
  return {
    planned: planned.toFixed(2),
    ratio: percent(planned.dividedBy(target)),
    difference: percent(gap.dividedBy(target)),
    gap: gap.toFixed(2),
    flagged: gap.abs().dividedBy(target).greaterThan(AGREEMENT_TOLERANCE),
  };
}

/** One indicator against its project's lines, before parts are combined. */
function checkIndicator(indicator: TargetIndicator, quantity: NonNullable<ReturnType<typeof quantityTarget>>, lines: readonly PlanQuantityLine[]): QuantityTargetCheck & { summed: Decimal | null } {
  const ofMeasure = lines
    .map((line) => ({ line, measure: lineMeasure(line) }))
    .filter((m): m is { line: PlanQuantityLine; measure: { measure: string; scale: string } } => m.measure?.measure === quantity.measure);
  const subject = subjectOf(indicator.name);
  const byItem = ofMeasure.filter(({ line }) => namesSubject(subject, line.item) || namesSubject(subject, line.derivation?.quantity.name ?? ""));
  const byComposition = ofMeasure.filter(({ line }) => byItem.some((m) => m.line === line) || namesSubject(subject, line.composition));
  const isTotal = /总|合计|全部/.test(indicator.name);
  const [chosen, match]: [typeof ofMeasure, QuantityTargetCheck["match"]] =
    isTotal && byComposition.length > byItem.length
      ? [byComposition, "composition"]
      : byItem.length > 0
        ? [byItem, "item"]
        : byComposition.length > 0
          ? [byComposition, "composition"]
          : [ofMeasure, "measure"];
  const summedLines: MatchedLine[] = [];
  const setAside: QuantityTargetCheck["setAside"] = [];
  const drivers = new Set<string>();
  let total = money(0);
  for (const { line, measure } of chosen) {
    const kind = line.method === "formula" ? line.derivation?.kind : undefined;
    const driver = line.method === "formula" && line.derivation ? `${line.derivation.quantity.code}@${line.derivation.quantity.year}` : null;
    let reason: SetAsideReason | null = null;
    if (kind === "clearing") reason = "clearing";
    else if (kind === "overspend") reason = "overspend";
    else if (driver !== null && drivers.has(driver)) reason = "sameDriver";
    if (reason) {
      setAside.push({ ...listed(line, measure.measure), reason });
      continue;
    }
    if (driver !== null) drivers.add(driver);
    summedLines.push(listed(line, measure.measure));
    total = total.plus(money(line.quantity).times(measure.scale));
  }
  const summed = summedLines.length > 0 ? total : null;
  return {
    name: indicator.name,
    level1: indicator.level1,
    level2: indicator.level2,
    target: indicator.target,
    operator: quantity.operator,
    targetValue: quantity.value.toFixed(2),
    measure: quantity.measure,
    comparedTarget: quantity.value.toFixed(2),
    together: [],
    match: summed === null ? null : match,
    lines: summedLines,
    setAside,
    ...compare(summed, quantity.value),
    summed,
  };
}

/**
 * The quantity targets of each plan project's declaration next to the planned quantities (see the header
 * for the rules), per project in the order of the lines.
 * targetAgreement(plan.lines, indicators)[0].indicators[0] → { name: "武警官兵人数", target: "=160.00(人)",
 * targetValue: "160.00", measure: "人", planned: "160.00", ratio: "100.00", flagged: false, lines: [{ item: "武警医疗经费", … }], … }
 */
export function targetAgreement(lines: readonly PlanQuantityLine[], indicators: readonly TargetIndicator[]): ProjectTargetAgreement[] {
  const projects = new Map<number, { projectName: string; unitId: number; lines: PlanQuantityLine[] }>();
  for (const line of lines) {
    const project = projects.get(line.projectId) ?? { projectName: line.projectName, unitId: line.unitId, lines: [] };
    project.lines.push(line);
    projects.set(line.projectId, project);
  }
  return [...projects].map(([projectId, project]) => {
    const own = indicators.filter((i) => i.projectId === projectId);
    const checks = own.flatMap((indicator) => {
      const quantity = quantityTarget(indicator);
      return quantity ? [checkIndicator(indicator, quantity, project.lines)] : [];
    });
    // Parts of one count (各镇…, 各街道…) on the same lines are compared together.
    const groups = new Map<string, typeof checks>();
    for (const check of checks) {
      if (check.summed === null) continue;
      const key = [check.measure, check.lines.map((l) => l.key).join(","), check.name.replace(SCOPE_PREFIX, "")].join("|");
      groups.set(key, [...(groups.get(key) ?? []), check]);
    }
    for (const group of groups.values()) {
      if (group.length < 2 || new Set(group.map((c) => c.name)).size < group.length || !group.every((c) => SCOPE_PREFIX.test(c.name))) continue;
      const joint = sumMoney(group.map((c) => c.targetValue));
      for (const check of group) {
        Object.assign(check, { comparedTarget: joint.toFixed(2), together: group.filter((c) => c !== check).map((c) => c.name) }, compare(check.summed, joint));
      }
    }
    const results: QuantityTargetCheck[] = checks.map(({ summed: _summed, ...check }) => check);
    const first = own[0];
    return {
      projectId,
      projectName: project.projectName,
      unitId: project.unitId,
      declaration: first ? { year: first.declarationYear ?? null, projectId: first.declaredProjectId ?? null } : null,
      indicators: results,
      flagged: results.filter((c) => c.flagged).length,
    };
  });
}

/** An indicator row of a candidate declaration: a base-year project's own, or a target-year project's of a plan unit. */
export interface IndicatorRow {
  projectId: number;
  fiscalYear: number;
  unitId: number;
  projectName: string;
  sortOrder: number;
  level1: string;
  level2: string;
  name: string;
  target: string;
}

/** An indicator of the declaration chosen for a plan project (projectId: the plan's base-year project). */
export interface DeclaredIndicator extends TargetIndicator {
  declarationYear: number;
  declaredProjectId: number;
  sortOrder: number;
}

/**
 * Which declaration a plan project is held to. The plan for year Y re-derives the base year's (Y − 1)
 * projects; a declaration filed for Y — indicators of a year-Y project of the same unit and name — is
 * the one the plan must agree with; without one, the base-year project's own declaration stands in.
 * A year-Y project without any indicator (e.g. created by adopting the plan) does not count as filed.
 * pickDeclarations(2025, [{ projectId: 10, unitId: 5, projectName: "武警医疗经费" }], rows) → rows of the
 * 2025 武警医疗经费 if it has any, else project 10's, each with declarationYear and declaredProjectId.
 */
export function pickDeclarations(
  targetYear: number,
  projects: ReadonlyArray<{ projectId: number; unitId: number; projectName: string }>,
  rows: readonly IndicatorRow[],
): DeclaredIndicator[] {
  const seen = new Set<number>();
  return projects.flatMap((project) => {
    if (seen.has(project.projectId)) return [];
    seen.add(project.projectId);
    const filed = rows.filter((r) => r.fiscalYear === targetYear && r.unitId === project.unitId && r.projectName === project.projectName);
    // Two year-Y projects of one unit and name: the first created holds the declaration.
    const declaredId = filed.length > 0 ? Math.min(...filed.map((r) => r.projectId)) : project.projectId;
    const chosen = (filed.length > 0 ? filed : rows.filter((r) => r.projectId === project.projectId))
      .filter((r) => r.projectId === declaredId)
      .sort((a, b) => a.sortOrder - b.sortOrder);
    return chosen.map((r) => ({
      projectId: project.projectId,
      declaredProjectId: r.projectId,
      declarationYear: r.fiscalYear,
      sortOrder: r.sortOrder,
      level1: r.level1,
      level2: r.level2,
      name: r.name,
      target: r.target,
    }));
  });
}
