import type { DB } from "../db/pool.ts";
import { forecastInput } from "../db/forecast-input.ts";
import { findUnitByName } from "../db/units.ts";
import { planTargets, withOverrides } from "../features/plan/queries/plan.ts";
import { planLines, type PlanLine, type PlanTotal } from "../features/plan/rules/zero-based-plan.ts";
import { groupPlan } from "../features/plan/rules/totals.ts";
import { formatMonths } from "../domain/budget-line-form.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { formatTable } from "./table.ts";
import { notZeroBased } from "../features/plan/rules/derived-lines.ts";
import { equationText } from "../domain/plan-formulas.ts";
import { cliLanguage, fill, msg, render, translate, type Message, type MessageKey } from "../messages/index.ts";
import { formatAmount } from "../domain/money.ts";
import { OUTLIER_RULE, type ForecastNote } from "../forecasting/index.ts";
import { forecastNoteMessage } from "../features/plan/rules/forecast-notes.ts";

/** A message in the CLI's language (Chinese unless BUDGET_LANG=en). */
const text = (message: Message) => render(cliLanguage(), message);
const t = (key: MessageKey) => translate(cliLanguage(), key);
/** A line's 依据 in the CLI's language: its documents, else the plan's own basis (按2024年执行数测算 / From the 2024 execution). */
const basisText = (line: Pick<PlanLine, "basis" | "basisNote">) => line.basis || (line.basisNote ? text(line.basisNote) : "");

/** One data note as a line of text in the CLI's language, from the app's catalogue: "2024-12：每人次金额 … 未用于拟合 …". */
export function noteText(note: ForecastNote): string {
  return text(forecastNoteMessage(note));
}

/** Rule of the outlier screening, printed once above a line's notes (OUTLIER_RULE's constants). */
const { minRatioAbove, minRatioBelow, robustSds } = OUTLIER_RULE;
const dataNotesHeading = () => text(msg("cliDataNotes", { above: minRatioAbove, below: minRatioBelow, sds: robustSds }));

/** The usage lines of `budget forecast` (part of the CLI's usage). */
export const FORECAST_USAGE: Message = msg("cliForecastUsage");

/** The options of `budget forecast`, checked before the database is opened (bad ones exit 2). */
export function parseForecastArgs(args: string[]): { year: number; unit?: string; project?: string; json: boolean; overrides: boolean } {
  const { values, positionals } = parseCommandLine(args, {
    year: { type: "string" },
    unit: { type: "string" },
    project: { type: "string" },
    json: { type: "boolean" },
    "no-overrides": { type: "boolean" },
  } as const);
  if (positionals.length > 0) throw new UsageError(msg("cliUnexpectedArgs", { args: positionals.join(" ") }));
  if (values.year === undefined) throw new UsageError(msg("cliForecastMissingYear"));
  if (!(/^\d{4}$/.test(values.year) && Number(values.year) >= 2001 && Number(values.year) <= 2100)) {
    throw new UsageError(msg("cliYearRange", { from: 2001, to: 2100, value: values.year }));
  }
  if (values.unit !== undefined && values.unit.trim() === "") throw new UsageError(msg("cliUnitNeedsName"));
  if (values.project !== undefined && values.project.trim() === "") throw new UsageError(msg("cliProjectNeedsName"));
  return {
    year: Number(values.year),
    unit: values.unit?.trim(),
    project: values.project?.trim(),
    json: values.json === true,
    overrides: values["no-overrides"] !== true,
  };
}

const totalJson = (total: PlanTotal) => ({
  amount: total.amount,
  forecast: total.forecast,
  interval80: total.interval80,
  interval95: total.interval95,
  lastYearInitial: total.lastYearInitial,
  lastYearAdjusted: total.lastYearAdjusted,
  lastYearExecuted: total.lastYearExecuted,
});

const lineJson = (line: PlanLine, notes: readonly ForecastNote[]) => ({
  composition: line.composition,
  item: line.item,
  quantity: line.quantity,
  unitPrice: line.unitPrice,
  amount: line.amount,
  forecastAmount: line.forecast?.amount ?? null,
  interval80: line.forecast?.interval80 ?? null,
  interval95: line.forecast?.interval95 ?? null,
  method: line.method,
  reason: render(cliLanguage(), line.reason),
  reasonCode: line.reason,
  basis: basisText(line),
  standard: line.standard ? { code: line.standard.code, revision: line.standard.revision, document: line.standard.document } : null,
  months: formatMonths(line.months),
  monthly: line.monthly.map((m) => ({ month: m.month, amount: m.amount })),
  change: line.change,
  lastYear: line.lastYear,
  quantityCheck: line.quantityCheck,
  override: line.override ? { quantity: line.override.quantity, unitPrice: line.override.unitPrice, reason: line.override.reason, by: line.override.by } : null,
  derivation: line.derivation ? { ...line.derivation, equation: equationText(line.derivation) } : null,
  attention: line.attention.map((a) => ({ ...a, text: attentionText(a) })),
  notes: notes.map((note) => ({ code: note.code, params: note.params, text: noteText(note) })),
});

const ATTENTION_KEY: Record<PlanLine["attention"][number]["code"], MessageKey> = {
  carried: "attCarried",
  plannedQuantity: "attPlannedQuantity",
  zeroDerived: "attZeroDerived",
  missingDriver: "attMissingDriver",
  farFromBase: "attFarFromBase",
  addedInYear: "attAddedInYear",
  negativeClearing: "attNegativeClearing",
  mayOverlap: "attMayOverlap",
};

/** A line's attention in the CLI's language, from the app's catalogue: "测算为 0：上年无执行（执行数 0.00 元）…". */
function attentionText(a: PlanLine["attention"][number]): string {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(a)) if (key !== "code") params[key] = /^-?\d+\.\d{2}$/.test(String(value)) ? formatAmount(String(value)) : String(value);
  return fill(t(ATTENTION_KEY[a.code]), params);
}

/** The methods as the table prints them. */
const METHOD_KEY: Record<PlanLine["method"], MessageKey> = {
  model: "methodModel",
  standard: "cliMethodStandard",
  formula: "cliMethodFormula",
  executed: "cliMethodExecuted",
  carried: "methodCarried",
};

const interval = (i: { lower: string; upper: string } | null | undefined) => (i ? `${i.lower}–${i.upper}` : "—");

/**
 * `budget forecast`: the zero-based forecast of a year for a unit (and everything below it) or one project,
 * as a table or JSON with amounts as 2-decimal strings. Exit 0 done, 1 nothing to forecast, 2 bad arguments.
 */
export async function forecastCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const options = parseForecastArgs(args);
  let unitId: number | undefined;
  if (options.unit !== undefined) {
    const unit = await findUnitByName(db, options.unit);
    if (!unit) throw new UsageError(msg("cliUnknownUnit", { unit: options.unit }));
    unitId = unit.id;
  }
  const input = await forecastInput(db, { targetYear: options.year, unitId, projectName: options.project });
  const proposed = planLines(input);
  const { forecasts, settlement } = proposed;
  const lines = options.overrides ? await withOverrides(db, options.year, proposed.lines) : proposed.lines;
  const overridden = lines.filter((l) => l.override !== null).length;
  if (lines.length === 0) {
    process.stderr.write(`${text(msg("cliError", { text: msg("cliForecastNoLines", { year: input.baseYear }) }))}\n`);
    return 1;
  }
  const groups = groupPlan(lines, forecasts, settlement);
  const targets = await planTargets(db, options.year, lines);
  const targetsOf = (projectId: number) => targets.find((t) => t.projectId === projectId)?.indicators ?? [];
  const overridesNote = options.overrides ? msg("cliForecastOverrides", { count: overridden }) : msg("cliForecastNoOverrides");
  const coverage = notZeroBased(lines);
  const coverageText = text(
    coverage.count > 0
      ? msg("notZeroBasedHeader", { of: coverage.of, count: coverage.count, share: coverage.share ?? "—" })
      : msg("notZeroBasedNone", { of: coverage.of }),
  );
  if (options.json) {
    const json = {
      year: options.year,
      baseYear: input.baseYear,
      overrides: options.overrides,
      notZeroBased: coverage,
      total: totalJson(groups.total),
      units: groups.units.map((unit) => ({
        unit: unit.unitName,
        total: totalJson(unit.total),
        projects: unit.projects.map((project) => ({
          project: project.projectName,
          total: totalJson(project.total),
          lines: project.lines.map((line) => lineJson(line, line.notes)),
          settlement: project.settlement,
          targets: targetsOf(project.projectId),
        })),
      })),
    };
    output.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  output.write(`${text(msg("cliForecastTitle", { year: options.year, baseYear: input.baseYear, overrides: overridesNote }))}\n${coverageText}\n`);
  for (const unit of groups.units) {
    for (const project of unit.projects) {
      output.write(`\n${unit.unitName} · ${project.projectName}\n`);
      output.write(
        formatTable(
          [t("composition"), t("item"), t("unitPrice"), t("quantity"), t("cliColAmount"), t("interval80"), t("interval95"), t("cliColMethod"), t("standardBasis")],
          [
            ...project.lines.map((l) => [
              l.composition,
              l.item,
              l.unitPrice,
              l.quantity,
              l.amount,
              interval(l.forecast?.interval80),
              interval(l.forecast?.interval95),
              t(METHOD_KEY[l.method]),
              l.standard ? text(msg("cliStandardRef", { basis: basisText(l), code: l.standard.code, revision: l.standard.revision })) : basisText(l),
            ]),
            [t("total"), "", "", "", project.total.amount, interval(project.total.interval80), interval(project.total.interval95), "", ""],
          ],
          [false, false, true, true, true, true, true, false, false],
        ),
      );
      for (const l of project.lines) {
        output.write(`\n  ${text(msg("cliLineReason", { item: l.item, reason: l.reason }))}\n`);
        for (const a of l.attention) output.write(`    ⚠ ${attentionText(a)}\n`);
        const notes = l.notes;
        if (notes.length > 0) {
          output.write(`    ${dataNotesHeading()}\n`);
          for (const note of notes) output.write(`    ⚠ ${noteText(note)}\n`);
        }
        if (l.override) {
          const o = l.override;
          output.write(
            `    ${text(msg("cliOverride", { by: o.by, fromQuantity: o.forecastQuantity, quantity: o.quantity, fromPrice: o.forecastUnitPrice, price: o.unitPrice, reason: o.reason }))}\n`,
          );
        }
        const c = l.change;
        output.write(`    ${text(msg("cliChange", { lastYear: c.lastYear, volume: c.volume, policy: c.policy, unitCost: c.unitCost, total: c.total }))}\n`);
        const months = l.monthly.map((m) => text(msg("cliMonthAmount", { month: Number(m.month.slice(5)), amount: m.amount }))).join(t("cliMonthSeparator"));
        output.write(`    ${text(msg("cliMonthly", { months }))}\n`);
      }
      if (project.settlement) {
        const { items, adjusted, executed } = project.settlement;
        output.write(`\n  ${text(msg("cliSettlement", { items: items.join(t("cliItemSeparator")), adjusted, executed }))}\n`);
      }
      for (const check of targetsOf(project.projectId)) {
        const ratio = check.ratio ? msg("cliTargetRatio", { ratio: check.ratio, flag: check.flagged ? msg("cliTargetFlag") : "" }) : "";
        output.write(`\n  ${text(msg("cliTarget", { name: check.name, target: check.target, planned: check.planned ?? msg("targetsNoPlanned"), ratio }))}`);
      }
      const total = project.total;
      output.write(
        `\n  ${text(msg("cliProjectTotal", { amount: total.amount, initial: total.lastYearInitial, adjusted: total.lastYearAdjusted, executed: total.lastYearExecuted }))}\n`,
      );
    }
    if (unit.projects.length > 1) output.write(`${text(msg("cliUnitTotal", { unit: unit.unitName, amount: unit.total.amount }))}\n`);
  }
  const { total } = groups;
  output.write(`\n${text(msg("cliGrandTotal", { amount: total.amount, interval80: interval(total.interval80), interval95: interval(total.interval95) }))}\n`);
  return 0;
}
