/* The plan page's table rows, totals, derivations and targets (下年预算编制, /plan/:year). */
import Decimal from "decimal.js";
import { Form, Link, useNavigation } from "react-router";
import type { Route } from "../routes/+types/plan";
import { DataNotes, DataNotesMarker } from "./data-notes";
import { PlanEquationText } from "./plan-equation";
import { type PlanAttention, type PlanLine, type PlanTotal } from "../../features/plan/rules/zero-based-plan";
import { equationText, FUND_LEVEL_KEY, type Derivation, type DriverInput } from "../../domain/plan-formulas";
import { formatMonths } from "../../domain/budget-line-form";
import { difference, formatAmount, formatNumber, percentage } from "../../domain/money";
import { fill, msg, useT, type Message, type MessageKey } from "../i18n";
import { ClientOnly } from "./client-only";
import { sourceName } from "./rectification-overdue";
import { FanChart } from "./fan-chart";
import { formStateMessage } from "../../features/tracking/rules";
import { gradeMessage } from "../../features/self-evaluation/rules/grade-label";
import type { Grade } from "../../domain/execution";

export type LoadedPlan = NonNullable<Route.ComponentProps["loaderData"]["plan"]>;
type LoadedLine = LoadedPlan["units"][number]["projects"][number]["lines"][number];

/** Text in brackets as each language writes them: "（…）" in Chinese, " (…)" in English. */
function useParen(): (text: string | number) => string {
  const { language } = useT();
  return (text) => (language === "zh" ? `（${text}）` : ` (${text})`);
}

function Versus({ label, amount, base }: { label: string; amount: string; base: string }) {
  const { t } = useT();
  const paren = useParen();
  const rate = percentage(difference(amount, base), base);
  return (
    <div>
      <div className="muted small">{label}</div>
      <strong>
        {formatAmount(difference(amount, base))} {t("yuan")}
        {rate !== null && paren(`${rate}%`)}
      </strong>
    </div>
  );
}

export function Totals({ total }: { total: PlanTotal }) {
  const { t } = useT();
  const paren = useParen();
  return (
    <div className="plan-totals" data-testid="plan-totals">
      <div>
        <div className="muted small">
          {t("planTotalProposed")}
        </div>
        <strong data-testid="plan-total">{formatAmount(total.amount)}</strong>
      </div>
      <div>
        <div className="muted small">
          {t("interval80")} / {t("interval95")}
        </div>
        {formatAmount(total.interval80.lower)}–{formatAmount(total.interval80.upper)} / {formatAmount(total.interval95.lower)}–
        {formatAmount(total.interval95.upper)}
      </div>
      <Versus
        label={`${t("vsLastYearExecuted")}${paren(formatAmount(total.lastYearExecuted))}`}
        amount={total.amount}
        base={total.lastYearExecuted}
      />
      <Versus
        label={`${t("vsLastYearBase")}${paren(formatAmount(total.lastYearInitial))}`}
        amount={total.amount}
        base={total.lastYearInitial}
      />
    </div>
  );
}

/** A line's attention for people, from the catalogue with its parameters. */
export function attentionText(t: (key: MessageKey) => string, a: PlanAttention): string {
  switch (a.code) {
    case "carried":
      return t("attCarried");
    case "plannedQuantity":
      return fill(t("attPlannedQuantity"), { quantity: formatNumber(a.quantity) });
    case "zeroDerived":
      return fill(t("attZeroDerived"), { executed: formatAmount(a.executed) });
    case "missingDriver":
      return fill(t("attMissingDriver"), { inputs: a.inputs });
    case "farFromBase":
      return fill(t("attFarFromBase"), { initial: formatAmount(a.initial), rate: a.rate });
    case "addedInYear":
      return fill(t("attAddedInYear"), { executed: formatAmount(a.executed), adjusted: formatAmount(a.adjusted), rate: a.rate });
    case "negativeClearing":
      return fill(t("attNegativeClearing"), { refund: formatAmount(a.refund) });
    case "mayOverlap":
      return fill(t("attMayOverlap"), { items: a.items });
  }
}

function AttentionList({ attention }: { attention: readonly PlanAttention[] }) {
  const { t } = useT();
  if (attention.length === 0) return null;
  return (
    <ul className="plan-attention" data-testid="plan-attention">
      {attention.map((a) => (
        <li key={a.code} data-code={a.code}>
          ⚠ {attentionText(t, a)}
        </li>
      ))}
    </ul>
  );
}

const KIND_KEY: Record<Derivation["kind"], MessageKey> = {
  fundraising: "kindFundraising",
  clearing: "kindClearing",
  overspend: "kindOverspend",
  quantity: "kindQuantity",
};

/** A driver's value with its name, year and status: "497 人（市民社区医疗互助帮困参加人数，2023年，实际）". */
function DriverText({ d }: { d: DriverInput }) {
  const { t, m, language } = useT();
  const [open, sep, close] = language === "zh" ? ["（", "，", "）"] : [" (", ", ", ")"];
  const status = t(d.status === "actual" ? "driverActual" : d.status === "estimated" ? "driverEstimated" : d.status === "forecast" ? "driverForecast" : "driverMissing");
  const round = (v: string) => formatNumber(new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  const band = d.interval80 ? `${sep}80%: ${round(d.interval80.lower)}–${round(d.interval80.upper)}` : "";
  return (
    <span data-status={d.status} title={d.estimate ? m(d.estimate) : d.document}>
      {d.status !== "missing" && `${formatNumber(d.value)} ${d.measure}`}
      {open}
      {d.name}
      {sep}
      {d.year}
      {t("fiscalYearShort")}
      {sep}
      <span className={d.status === "actual" ? "" : "warn-text"}>{status}</span>
      {band}
      {close}
    </span>
  );
}

/** How a formula line is derived: kind, the equation, and each input with its year, status and document. */
function DerivationDetail({ d }: { d: Derivation }) {
  const { t } = useT();
  const paren = useParen();
  // The link opens the drivers at the first input that is not actual (the one to confirm), else the quantity's.
  const inputs = [d.quantity, d.minus, d.price?.source === "driver" ? d.price.driver : null].filter((i): i is DriverInput => i !== null);
  const codes = [inputs.find((i) => i.status !== "actual")?.code ?? d.quantity.code];
  return (
    <div className="small plan-derivation" data-testid="plan-derivation">
      <div>
        <strong>{t(KIND_KEY[d.kind])}</strong>
        {t("colon")}
        <span data-testid="derivation-equation">{equationText(d)}</span>
      </div>
      <div>
        {t("derivationQuantity")}{t("colon")}<DriverText d={d.quantity} />
        {d.minus && (
          <>
            {" "}
            {t("derivationMinus")} <DriverText d={d.minus} />
          </>
        )}
      </div>
      <div>
        {t("derivationPrice")}{t("colon")}
        {d.price?.source === "standard" ? (
          <>
            <Link to={`/standards#${d.price.code}`}>{d.price.code}</Link> {formatNumber(d.price.value)}
            {d.price.less && (
              <>
                {" − "}
                <Link to={`/standards#${d.price.less.code}`}>{d.price.less.code}</Link> {formatNumber(d.price.less.value)}
              </>
            )}
          </>
        ) : d.price?.source === "driver" ? (
          <DriverText d={d.price.driver} />
        ) : (
          "—"
        )}
      </div>
      <div>
        {t("derivationShare")}{t("colon")}{d.share ? `${d.share.code} ${t("revision")} ${d.share.revision} · ${t(FUND_LEVEL_KEY[d.share.level])} ${d.share.percent}%${paren(d.share.document)}` : t("derivationNoShare")}
      </div>
      <div>
        <Link to={`/drivers#${codes[0] ?? ""}`}>{t("editDrivers")}</Link>
      </div>
    </div>
  );
}

type LoadedTargets = LoadedPlan["targets"][number];

/** The project's declared quantity targets next to the planned quantities; a gap over 20% is flagged. */
export function TargetsTable({ targets }: { targets: LoadedTargets }) {
  const { t } = useT();
  const paren = useParen();
  if (targets.indicators.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="data-table plan-targets" data-testid="plan-targets">
        <caption className="small">
          {t("targetsTitle")}
          {targets.declaration?.year != null && paren(fill(t("targetsDeclaration"), { year: targets.declaration.year }))}
        </caption>
        <thead>
          <tr>
            <th>{t("targetsIndicator")}</th>
            <th className="num">{t("targetsDeclared")}</th>
            <th className="num">{t("targetsPlanned")}</th>
            <th className="num">{t("targetsRatio")}</th>
            <th>{t("targetsLines")}</th>
          </tr>
        </thead>
        <tbody>
          {targets.indicators.map((check) => (
            <tr key={check.name} data-testid="plan-target" data-name={check.name} className={check.flagged ? "row-flagged" : undefined}>
              <td>
                {check.name}
                {check.together.length > 0 && (
                  <div className="small muted">{fill(t("targetsTogether"), { names: check.together.join(t("listSeparator")), target: formatNumber(check.comparedTarget) })}</div>
                )}
              </td>
              <td className="num">{check.target}</td>
              <td className="num" data-field="planned">
                {check.planned === null ? <span className="muted">{t("targetsNoPlanned")}</span> : `${formatNumber(check.planned)} ${check.measure}`}
              </td>
              <td className="num" data-field="ratio">
                {check.ratio ?? "—"}
                {check.flagged && <div className="small warn-text">⚠ {t("targetsFlagged")}</div>}
              </td>
              <td className="small">{check.lines.map((l) => `${l.item} ${formatNumber(l.quantity)}`).join(" + ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const METHOD_KEY: Record<PlanLine["method"], MessageKey> = {
  model: "methodModel",
  standard: "methodStandard",
  formula: "methodFormula",
  executed: "methodExecuted",
  carried: "methodCarried",
};

export function LineRows({ line, index, canPlan, actionData }: { line: LoadedLine; index: number; canPlan: boolean; actionData: Route.ComponentProps["actionData"] }) {
  const { t, m } = useT();
  const navigation = useNavigation();
  const mine = line.method !== "formula" && actionData?.lineId === line.sourceLineId;
  const errors: Record<string, Message | undefined> = mine ? ((actionData?.errors ?? {}) as Record<string, Message | undefined>) : {};
  const range = (low: string | undefined, high: string | undefined) => (low && high ? `${formatAmount(low)}–${formatAmount(high)}` : "—");
  return (
    <>
      <tr data-testid="plan-line" data-item={line.item} data-method={line.method} className={line.attention.length > 0 ? "plan-line-attention" : undefined}>
        <td className="num">{index + 1}</td>
        <td>{line.composition}</td>
        <td>
          {line.item}
          <DataNotesMarker notes={line.notes} />
          {line.override && (
            <span className="badge-override" title={m(msg("planOverrideTitle", { reason: line.override.reason }))}>
              {t("overridden")}
            </span>
          )}
        </td>
        <td className="num" data-field="unitPrice">
          {formatAmount(line.unitPrice)}
        </td>
        <td className="num" data-field="quantity">
          {formatNumber(line.quantity)}
          {line.quantityCheck && (
            <div className={line.quantityCheck.flagged ? "small field-error" : "small muted"} data-testid="quantity-check">
              {t("plannedQuantity")} {line.quantityCheck.planned === null ? "—" : formatNumber(line.quantityCheck.planned)}
              {line.quantityCheck.derived !== null && (
                <>
                  {" / "}
                  {t("derivedQuantity")} {formatNumber(line.quantityCheck.derived)}
                </>
              )}
              {line.quantityCheck.flagged && " ⚠"}
            </div>
          )}
        </td>
        <td className="num" data-field="amount">
          {formatAmount(line.amount)}
        </td>
        <td>
          {line.basis || (line.basisNote && m(line.basisNote))}
          {line.standard && (
            <div className="small muted">
              <Link to={`/standards#${line.standard.code}`}>{line.standard.code}</Link> {t("revision")} {line.standard.revision}
            </div>
          )}
        </td>
        <td>{formatMonths(line.months)}</td>
        <td className="num plan-interval">
          {range(line.forecast?.interval80.lower, line.forecast?.interval80.upper)}
          <br />
          <span className="muted">{range(line.forecast?.interval95.lower, line.forecast?.interval95.upper)}</span>
        </td>
        <td className="num">{formatAmount(line.lastYear.initial)}</td>
        <td className="num">{formatAmount(line.lastYear.adjusted)}</td>
        <td className="num">
          {formatAmount(line.lastYear.executed)}
          {line.lastYear.estimated && <sup title={t("planFootnote")}>*</sup>}
        </td>
        <td className="num small">
          {/* Amounts in 元 that the change splits into, not counts: "人次变动 334.25 元". */}
          {fill(t("planEffectAmount"), { effect: t("volumeEffect"), amount: formatAmount(line.change.volume) })}
          <br />
          {fill(t("planEffectAmount"), { effect: t("policyEffect"), amount: formatAmount(line.change.policy) })}
          <br />
          {fill(t("planEffectAmount"), { effect: t("unitCostEffect"), amount: formatAmount(line.change.unitCost) })}
        </td>
      </tr>
      <tr className="plan-detail">
        <td colSpan={13}>
          <AttentionList attention={line.attention} />
          <DataNotes notes={line.notes} />
          {line.derivation && <DerivationDetail d={line.derivation} />}
          <details>
            <summary className="small">
              {t("forecastMethod")}{t("colon")}<span data-testid="plan-method">{t(METHOD_KEY[line.method])}</span>
              <PlanEquationText line={line} />
            </summary>
            <p className="small">{m(line.reason)}</p>
            {line.fan.some((p) => p.forecast !== undefined && p.lower80) && (
              <ClientOnly>{() => <FanChart points={line.fan} label={line.item} />}</ClientOnly>
            )}
          </details>
          {line.override && (
            <p className="small" data-testid="override-note">
              {m(
                msg("planOverrideNote", {
                  by: line.override.by,
                  fromQuantity: formatNumber(line.override.forecastQuantity),
                  quantity: formatNumber(line.override.quantity),
                  fromPrice: formatAmount(line.override.forecastUnitPrice),
                  price: formatAmount(line.override.unitPrice),
                  reason: line.override.reason,
                }),
              )}
            </p>
          )}
          {canPlan && line.method === "formula" && <p className="small muted">{t("formulaNoOverride")}</p>}
          {canPlan && line.method !== "formula" && (
            <Form method="post" className="plan-edit" data-testid="override-form">
              <input type="hidden" name="lineId" value={line.sourceLineId} />
              <label className="small">
                {t("quantity")}
                <input name="quantity" defaultValue={new Decimal(line.quantity).toString()} inputMode="decimal" aria-invalid={errors.quantity ? true : undefined} />
              </label>
              <label className="small">
                {t("unitPrice")}
                <input
                  name="unitPrice"
                  defaultValue={line.unitPrice}
                  inputMode="decimal"
                  aria-invalid={errors.unitPrice ? true : undefined}
                />
              </label>
              <label className="small">
                {t("overrideReason")}
                <input name="reason" defaultValue={line.override?.reason ?? ""} aria-invalid={errors.reason ? true : undefined} />
              </label>
              <button type="submit" name="intent" value="override" disabled={navigation.state !== "idle"}>
                {t("saveOverride")}
              </button>
              {line.override && (
                <button type="submit" name="intent" value="reset" disabled={navigation.state !== "idle"}>
                  {t("removeOverride")}
                </button>
              )}
              {Object.entries(errors).map(([field, message]) => (
                <span key={field} className="field-error" role="alert" data-field={field}>
                  {message && m(message)}
                </span>
              ))}
              {mine && actionData?.message && (
                <span className="form-ok" role="status">
                  {m(actionData.message)}
                </span>
              )}
            </Form>
          )}
        </td>
      </tr>
    </>
  );
}


type LoadedPerformance = Route.ComponentProps["loaderData"]["performance"][number];
type LoadedOpenItem = LoadedPerformance["openItems"][number];
const GRADES: readonly string[] = ["优", "良", "合格", "不合格"];

/** A base-year project's results: last year's self-evaluation (grade, total, shortfalls) and its open rectification items. */
export function ProjectResults({ results, baseYear }: { results: LoadedPerformance | undefined; baseYear: number }) {
  const { t, m } = useT();
  const evaluation = results?.evaluation ?? null;
  const shortfalls = evaluation?.shortfalls ?? [];
  const fundShort = evaluation !== null && new Decimal(evaluation.fundScore).lessThan(10);
  return (
    <div className="plan-results small" data-testid="plan-results">
      <p data-testid="plan-evaluation">
        <strong>{fill(t("rcPlanEvaluation"), { year: baseYear })}</strong>
        {t("colon")}
        {evaluation === null ? (
          <span className="muted">{t("rcPlanNoEvaluation")}</span>
        ) : (
          <Link to={`/projects/${evaluation.projectId}/self-evaluation`}>
            {fill(t("rcPlanGradeScore"), { grade: GRADES.includes(evaluation.grade) ? m(gradeMessage(evaluation.grade as Grade)) : evaluation.grade, total: evaluation.total })}
            {evaluation.status !== "accepted" && ` · ${m(formStateMessage(evaluation.status))}`}
          </Link>
        )}
      </p>
      {evaluation !== null && (shortfalls.length > 0 || fundShort) && (
        // What the total lacks, so that it adds up: the funds score when below 10, then each indicator below
        // its weight (with the rule's score beside an entered one that departs from it).
        <p data-testid="plan-shortfalls">
          {t("rcPlanShortfalls")}
          {t("colon")}
          {[
            ...(fundShort ? [m(msg("rcPlanFundShortfall", { score: evaluation.fundScore }))] : []),
            ...shortfalls.map(
              (s) => fill(t("rcPlanShortfall"), { name: s.name, score: s.score, weight: s.weight }) + (evaluation.ruleScores[s.name] === undefined ? "" : m(msg("rcPlanRuleScore", { score: evaluation.ruleScores[s.name]! }))),
            ),
          ].join(t("planSemicolon"))}
        </p>
      )}
      {(results?.openItems.length ?? 0) > 0 && (
        <ul className="plan-open-items" data-testid="plan-open-items">
          {results!.openItems.map((item) => (
            <li key={item.itemId} data-item={item.itemId}>
              <OpenItemText item={item} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** An open item in one line: the indicator and its measure, then where it comes from and when it is due. */
export function OpenItemText({ item }: { item: LoadedOpenItem }) {
  const { t, m } = useT();
  return (
    <>
      <span className="warn-text">{t("rcOpenItem")}</span> {item.indicator}
      {t("colon")}
      {item.measure || t("rcNoMeasure")}
      <span className="muted">
        {m(msg("rcOpenItemSource", { year: item.fiscalYear, source: sourceName(item), date: item.dueOn }))}
      </span>
      {item.daysOverdue > 0 && (
        <span className="warn-text" data-testid="open-item-overdue">
          {" "}
          {m(msg("rcOverdueDays", { days: item.daysOverdue }))}
        </span>
      )}
    </>
  );
}
