import type { DB } from "../db/pool.ts";
import { findUnitByName, unitSubtreeIds } from "../db/units.ts";
import { listSelfEvaluations } from "../features/self-evaluation/service.ts";
import { stateMessage } from "../features/workflow/rules.ts";
import { cliLanguage, msg, render, translate, type Message } from "../messages/index.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { formatTable } from "./table.ts";

/** A message in the CLI's language (Chinese unless BUDGET_LANG=en). */
const text = (message: Message) => render(cliLanguage(), message);

/** The usage lines of `budget self-evaluation` (part of the CLI's usage). */
export const SELF_EVALUATION_USAGE: Message = msg("seCliUsage");

/** The options of `budget self-evaluation`, checked before the database is opened (bad ones exit 2). */
export function parseSelfEvaluationArgs(args: string[]): { year: number; unit?: string; json: boolean } {
  const { values, positionals } = parseCommandLine(args, { year: { type: "string" }, unit: { type: "string" }, json: { type: "boolean" } } as const);
  if (positionals.length > 0) throw new UsageError(msg("cliUnexpectedArgs", { args: positionals.join(" ") }));
  if (values.year === undefined) throw new UsageError(msg("seCliMissingYear"));
  if (!(/^\d{4}$/.test(values.year) && Number(values.year) >= 2000 && Number(values.year) <= 2100)) {
    throw new UsageError(msg("cliYearRange", { from: 2000, to: 2100, value: values.year }));
  }
  if (values.unit !== undefined && values.unit.trim() === "") throw new UsageError(msg("cliUnitNeedsName"));
  return { year: Number(values.year), unit: values.unit?.trim(), json: values.json === true };
}

/**
 * budget self-evaluation --year 2024 [--unit NAME] [--json]: per project (of the unit and the units
 * below it) the funds score, indicator score, total and grade as entered, the total by the rule, and
 * each departure from the rule; scores as 2-decimal strings.
 */
export async function selfEvaluationCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const options = parseSelfEvaluationArgs(args);
  let unitIds: number[] | undefined;
  if (options.unit !== undefined) {
    const unit = await findUnitByName(db, options.unit);
    if (!unit) throw new UsageError(msg("cliUnknownUnit", { unit: options.unit }));
    unitIds = await unitSubtreeIds(db, unit.id);
  }
  const rows = await listSelfEvaluations(db, { year: options.year, unitIds });
  if (options.json) {
    const evaluations = rows.map((row) => ({
      project: row.project,
      unit: row.unit,
      status: row.status,
      fundScore: row.fundScore,
      indicatorScore: row.indicatorScore,
      total: row.total,
      grade: row.grade,
      ruleTotal: row.ruleTotal,
      departures: row.departures.map((d) => ({ indicator: d.name, weight: d.weight, score: d.score, ruleScore: d.ruleScore, reason: d.reason })),
    }));
    output.write(`${JSON.stringify({ year: options.year, evaluations }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    output.write(`${text(msg("seCliNone", { year: options.year }))}\n`);
    return 0;
  }
  output.write(`${text(msg("seTitle"))} ${options.year}\n`);
  output.write(
    formatTable(
      translate(cliLanguage(), "seCliHeaders").split("|"),
      rows.map((row) => [row.unit, row.project, text(stateMessage(row.status)), row.fundScore, row.indicatorScore, row.total, row.grade, row.ruleTotal]),
      [false, false, false, true, true, true, false, true],
    ),
  );
  for (const row of rows) {
    if (row.departures.length === 0) continue;
    output.write(`${row.project}\n`);
    for (const d of row.departures) {
      const reason = d.reason ?? text(msg("seCliNoReason"));
      output.write(`${text(msg("seCliDeparture", { name: d.name, weight: d.weight ?? "—", score: d.score, rule: d.ruleScore, reason }))}\n`);
    }
  }
  return 0;
}
