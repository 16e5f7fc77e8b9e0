import Decimal from "decimal.js";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/plan";
import { database } from "../db.server";
import { withActor } from "../../db/audit";
import { adoptPlan, AdoptionRefused, inUse, loadPlan, nextPlanYear, planUnits, removeOverride, saveOverride, unitOfLine } from "../../db/plan";
import { DataNotes, DataNotesMarker } from "../components/data-notes";
import { PlanEquationText } from "../components/plan-equation";
import { type PlanAttention, type PlanLine, type PlanTotal } from "../../domain/zero-based-plan";
import { parseOverrideForm, type OverrideErrors } from "../../domain/plan-override";
import { NEEDS_BASIS } from "../../domain/plan-derived-lines";
import { equationText, type Derivation, type DriverInput } from "../../domain/plan-formulas";
import { formatMonths } from "../../domain/budget-line-form";
import { difference, formatAmount, formatNumber, percentage } from "../../domain/money";
import { roleAllows } from "../../domain/permissions";
import { currentUser, guard } from "../guard.server";
import { fill, msg, useT, type Message, type MessageKey } from "../i18n";
import { recordIdSchema, requireParam, yearSchema } from "../route-params.server";
import { ClientOnly } from "../components/client-only";
import { FanChart, type FanPoint } from "../components/fan-chart";

export function meta({ params }: Route.MetaArgs) {
  return [{ title: `${params.year} 年预算编制 · 预算执行监控` }];
}

/** The target year from the URL (404 for anything but a plausible year). */
function targetYear(request: Request, params: { year?: string }): number {
  return requireParam(request, yearSchema, params.year, "planUnknownYear");
}

/** The planning unit: ?unit=ID for administrators and managers choosing within their subtree, else the user's own. */
function planningUnit(request: Request, fallback: number): number {
  const text = new URL(request.url).searchParams.get("unit");
  if (text === null || text === "") return fallback;
  return requireParam(request, recordIdSchema, text, "planUnknownUnit");
}


/** The fan chart of a line: the last 24 months of history, then the year's proposal with its bands. */
function fanPoints(line: PlanLine): FanPoint[] {
  const history = line.history.slice(-24);
  return [
    // The last month of history also starts the forecast line, so that the two join.
    ...history.map((h, k) => ({ month: h.month, history: h.amount, forecast: k === history.length - 1 ? h.amount : undefined })),
    ...line.monthly.map((m) => ({
      month: m.month,
      forecast: m.amount,
      lower80: m.lower80,
      upper80: m.upper80,
      lower95: m.lower95,
      upper95: m.upper95,
    })),
  ];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = currentUser(context);
  if (params.year === "next") {
    // The navigation's link: the year after the latest year with payments.
    guard(context, request, "read", null);
    const next = (await nextPlanYear(await database())) ?? new Date().getFullYear() + 1;
    throw redirect(`/plan/${next}${new URL(request.url).search}`);
  }
  const year = targetYear(request, params);
  const unitId = planningUnit(request, user.unitId);
  guard(context, request, "read", unitId);
  const db = await database();
  const units = await planUnits(db, year - 1, user.unitSubtree, user.unitId);
  const common = { year, unitId, units, canPlan: roleAllows(user.roles, "edit-budget") };
  // No 500 from data: a line whose model fails falls back inside the forecast (forecastBudgetLines); should
  // the plan as a whole still fail, the page says so instead of the plan, and the error goes to the log.
  let plan: Awaited<ReturnType<typeof loadPlan>>;
  try {
    plan = await loadPlan(db, year, unitId);
  } catch (error) {
    console.error(`plan ${year} unit ${unitId}: the forecast failed`, error);
    return { ...common, stamp: "", plan: null };
  }
  const { lines: _lines, ...groups } = plan;
  return {
    ...common,
    stamp: plan.stamp,
    plan: {
      ...groups,
      existing: groups.existing.map((p) => ({ ...p, inUse: inUse(p) })),
      units: groups.units.map((unit) => ({
        ...unit,
        projects: unit.projects.map((project) => ({
          ...project,
          lines: project.lines.map((line) => ({
            ...line,
            fan: fanPoints(line),
            history: [],
          })),
        })),
      })),
    },
  };
}


export async function action({ request, params, context }: Route.ActionArgs) {
  const year = targetYear(request, params);
  const user = currentUser(context);
  const unitId = planningUnit(request, user.unitId);
  guard(context, request, "edit-budget", unitId);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const db = await database();
  const actor = { userId: user.id, username: user.username };

  if (intent === "override" || intent === "reset") {
    const parsedId = recordIdSchema.safeParse(String(form.get("lineId") ?? ""));
    const lineId = parsedId.success ? parsedId.data : null;
    const line = lineId !== null ? await unitOfLine(db, lineId) : undefined;
    // The line must be a base-year line of a unit this user plans for.
    if (lineId === null || !line || line.fiscalYear !== year - 1)
      return data({ intent, lineId, errors: { quantity: msg("planUnknownLine") } as OverrideErrors, message: null }, { status: 404 });
    guard(context, request, "edit-budget", line.unitId);
    if (intent === "reset") {
      await withActor(db, actor, (trx) => removeOverride(trx, year, lineId));
      return { intent, lineId, errors: {} as OverrideErrors, message: msg("planBackToForecast") };
    }
    const parsed = parseOverrideForm({
      quantity: String(form.get("quantity") ?? ""),
      unitPrice: String(form.get("unitPrice") ?? ""),
      reason: String(form.get("reason") ?? ""),
    });
    if ("errors" in parsed) return data({ intent, lineId, errors: parsed.errors, message: null }, { status: 400 });
    await withActor(db, actor, (trx) => saveOverride(trx, { targetYear: year, sourceLineId: lineId, ...parsed.values, by: user.username }));
    return { intent, lineId, errors: {} as OverrideErrors, message: msg("planOverrideSaved") };
  }
  if (intent === "adopt") {
    // The written bases of lines that are not zero-based (or derived to 0), by line key: basis:F12, basis:L345.
    const bases = new Map<string, string>();
    for (const [name, value] of form.entries()) if (name.startsWith("basis:") && typeof value === "string") bases.set(name.slice(6), value.trim());
    const tooLong = [...bases.values()].some((text) => text.length > 500);
    if (tooLong) return data({ intent, lineId: null, errors: { adopt: msg("planBasisTooLong") }, message: null }, { status: 400 });
    try {
      const result = await withActor(db, actor, (trx) =>
        adoptPlan(trx, { targetYear: year, unitId, replace: form.get("replace") === "1", by: user.username, stamp: String(form.get("stamp") ?? ""), bases }),
      );
      return {
        intent,
        lineId: null,
        errors: {},
        message: msg("planAdopted", { year, projects: result.projects, lines: result.lines, total: result.total }),
      };
    } catch (error) {
      if (error instanceof AdoptionRefused)
        return data({ intent, lineId: null, errors: { adopt: error.problem }, message: null }, { status: 409 });
      throw error;
    }
  }
  return data({ intent, lineId: null, errors: { adopt: msg("planUnknownIntent", { intent }) }, message: null }, { status: 400 });
}

type LoadedPlan = NonNullable<Route.ComponentProps["loaderData"]["plan"]>;
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

function Totals({ total }: { total: PlanTotal }) {
  const { t } = useT();
  const paren = useParen();
  return (
    <div className="plan-totals" data-testid="plan-totals">
      <div>
        <div className="muted small">
          {t("planTotal")}
          {paren(t("proposedAmount"))}
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
function attentionText(t: (key: MessageKey) => string, a: PlanAttention): string {
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
  const { t, language } = useT();
  const [open, sep, close] = language === "zh" ? ["（", "，", "）"] : [" (", ", ", ")"];
  const status = t(d.status === "actual" ? "driverActual" : d.status === "estimated" ? "driverEstimated" : d.status === "forecast" ? "driverForecast" : "driverMissing");
  const round = (v: string) => formatNumber(new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  const band = d.interval80 ? `${sep}80%: ${round(d.interval80.lower)}–${round(d.interval80.upper)}` : "";
  return (
    <span data-status={d.status} title={d.document}>
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
        <strong>{t(KIND_KEY[d.kind])}</strong>：<span data-testid="derivation-equation">{equationText(d)}</span>
      </div>
      <div>
        {t("derivationQuantity")}：<DriverText d={d.quantity} />
        {d.minus && (
          <>
            {" "}
            {t("derivationMinus")} <DriverText d={d.minus} />
          </>
        )}
      </div>
      <div>
        {t("derivationPrice")}：
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
        {t("derivationShare")}：{d.share ? `${d.share.code} ${t("revision")} ${d.share.revision} · ${d.share.level} ${d.share.percent}%${paren(d.share.document)}` : t("derivationNoShare")}
      </div>
      <div>
        <Link to={`/drivers#${codes[0] ?? ""}`}>{t("editDrivers")}</Link>
      </div>
    </div>
  );
}

type LoadedTargets = LoadedPlan["targets"][number];

/** The project's declared quantity targets next to the planned quantities; a gap over 20% is flagged. */
function TargetsTable({ targets }: { targets: LoadedTargets }) {
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
                  <div className="small muted">{fill(t("targetsTogether"), { names: check.together.join("、"), target: formatNumber(check.comparedTarget) })}</div>
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

function LineRows({ line, index, canPlan, actionData }: { line: LoadedLine; index: number; canPlan: boolean; actionData: Route.ComponentProps["actionData"] }) {
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
            <span className="badge-override" title={`${t("overrideReason")}：${line.override.reason}`}>
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
              {t("plannedQuantity")} {line.quantityCheck.planned ?? "—"}
              {line.quantityCheck.derived !== null && (
                <>
                  {" / "}
                  {t("derivedQuantity")} {line.quantityCheck.derived}
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
          {line.basis}
          {line.standard && (
            <div className="small muted">
              <Link to={`/standards#${line.standard.code}`}>{line.standard.code}</Link> {t("revision")} {line.standard.revision}
            </div>
          )}
        </td>
        <td>{formatMonths(line.months)}</td>
        <td className="num">
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
          {t("volumeEffect")} {formatAmount(line.change.volume)}
          <br />
          {t("policyEffect")} {formatAmount(line.change.policy)}
          <br />
          {t("unitCostEffect")} {formatAmount(line.change.unitCost)}
        </td>
      </tr>
      <tr className="plan-detail">
        <td colSpan={13}>
          <AttentionList attention={line.attention} />
          <DataNotes notes={line.notes} />
          {line.derivation && <DerivationDetail d={line.derivation} />}
          <details>
            <summary className="small">
              {t("forecastMethod")}：<span data-testid="plan-method">{t(METHOD_KEY[line.method])}</span>
              <PlanEquationText line={line} />
            </summary>
            <p className="small">{m(line.reason)}</p>
            {line.fan.some((p) => p.forecast !== undefined && p.lower80) && (
              <ClientOnly>{() => <FanChart points={line.fan} label={line.item} />}</ClientOnly>
            )}
          </details>
          {line.override && (
            <p className="small" data-testid="override-note">
              {t("overridden")}（{line.override.by}）：{t("quantity")} {line.override.forecastQuantity} → {line.override.quantity}，
              {t("unitPrice")} {line.override.forecastUnitPrice} → {line.override.unitPrice}。{t("overrideReason")}：{line.override.reason}
            </p>
          )}
          {canPlan && line.method === "formula" && <p className="small muted">{t("formulaNoOverride")}</p>}
          {canPlan && line.method !== "formula" && (
            <Form method="post" className="plan-edit" data-testid="override-form">
              <input type="hidden" name="lineId" value={line.sourceLineId} />
              <label className="small">
                {t("quantity")}
                <input name="quantity" defaultValue={line.quantity} inputMode="decimal" aria-invalid={errors.quantity ? true : undefined} />
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

export default function Plan({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { year, plan, canPlan, units, unitId, stamp } = loaderData;
  const existing = plan?.existing ?? [];
  const replaceable = existing.length > 0 && existing.every((p) => p.inUse.length === 0);
  const adoptError = actionData?.intent === "adopt" ? (actionData.errors as { adopt?: Message }).adopt : undefined;
  const needingBasis = (plan?.units ?? []).flatMap((u) => u.projects.flatMap((p) => p.lines)).filter((l) => l.attention.some((a) => NEEDS_BASIS.has(a.code)));
  return (
    <>
      <h1>
        {year} {t("planTitle")}
      </h1>
      {units.length > 1 && (
        <Form method="get" className="filters">
          <label>
            {t("planUnit")}
            <select name="unit" defaultValue={String(unitId)}>
              {units.map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {unit.all ? fill(t("planUnitAll"), { unit: unit.name }) : unit.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t("apply")}</button>
        </Form>
      )}
      {!canPlan && <p className="muted">{t("planReadOnly")}</p>}
      {plan === null ? (
        <p className="form-error" role="alert" data-testid="plan-failed">
          {t("fcPlanFailed")}
        </p>
      ) : plan.units.length === 0 ? (
        <p data-testid="plan-empty">{t("noPlanLines")}</p>
      ) : (
        <>
          <Totals total={plan.total} />
          <p className={plan.notZeroBased.count > 0 ? "plan-coverage warn-text" : "plan-coverage muted"} data-testid="not-zero-based">
            {plan.notZeroBased.count > 0
              ? fill(t("notZeroBasedHeader"), { of: plan.notZeroBased.of, count: plan.notZeroBased.count, share: plan.notZeroBased.share ?? "—" })
              : fill(t("notZeroBasedNone"), { of: plan.notZeroBased.of })}
            {plan.notZeroBased.toConfirm > 0 && fill(t("notZeroBasedConfirm"), { n: plan.notZeroBased.toConfirm })}
          </p>
          {plan.units.map((unit) =>
            unit.projects.map((project) => (
              <section key={project.projectId}>
                <h2>
                  {unit.unitName} · {project.projectName}
                </h2>
                <p className="plan-table-caption">
                  <strong>
                    {year} {t("planTableTitle")}
                  </strong>
                  <span className="muted small"> {t("amountUnitYuan")}</span>
                </p>
                <div className="table-scroll">
                  <table className="data-table plan-table" data-testid="plan-table">
                    <thead>
                      <tr>
                        <th className="num">{t("seqNo")}</th>
                        <th>{t("composition")}</th>
                        <th>{t("item")}</th>
                        <th className="num">{t("unitPrice")}</th>
                        <th className="num">{t("quantity")}</th>
                        <th className="num">{t("proposedAmount")}</th>
                        <th>{t("standardBasis")}</th>
                        <th>{t("months")}</th>
                        <th className="num">
                          {t("interval80")}
                          <br />
                          <span className="muted">{t("interval95")}</span>
                        </th>
                        <th className="num">{t("lastYearBase")}</th>
                        <th className="num">{t("lastYearAdjusted")}</th>
                        <th className="num">{t("lastYearExecuted")}</th>
                        <th className="num">{t("changeSplit")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {project.lines.map((line, index) => (
                        <LineRows key={line.key} line={line} index={index} canPlan={canPlan} actionData={actionData} />
                      ))}
                      {project.settlement && (
                        <tr data-testid="settlement-row" title={project.settlement.items.join("；")}>
                          <td />
                          <td colSpan={2}>
                            {t("settlementRows")}
                            <div className="small muted">{project.settlement.items.join("；")}</div>
                          </td>
                          <td colSpan={6} />
                          <td className="num">{formatAmount(project.settlement.initial)}</td>
                          <td className="num">{formatAmount(project.settlement.adjusted)}</td>
                          <td className="num">{formatAmount(project.settlement.executed)}</td>
                          <td />
                        </tr>
                      )}
                      <tr data-testid="project-total-row">
                        <th colSpan={5}>{t("planTotal")}</th>
                        <th className="num" data-testid="project-total">
                          {formatAmount(project.total.amount)}
                        </th>
                        <th colSpan={2} />
                        <th className="num">
                          {formatAmount(project.total.interval80.lower)}–{formatAmount(project.total.interval80.upper)}
                          <br />
                          <span className="muted">
                            {formatAmount(project.total.interval95.lower)}–{formatAmount(project.total.interval95.upper)}
                          </span>
                        </th>
                        <th className="num" data-field="lastYearInitial">
                          {formatAmount(project.total.lastYearInitial)}
                        </th>
                        <th className="num" data-field="lastYearAdjusted">
                          {formatAmount(project.total.lastYearAdjusted)}
                        </th>
                        <th className="num" data-field="lastYearExecuted">
                          {formatAmount(project.total.lastYearExecuted)}
                        </th>
                        <th />
                      </tr>
                    </tbody>
                  </table>
                </div>
                {(() => {
                  const targets = plan.targets.find((p) => p.projectId === project.projectId);
                  return targets ? <TargetsTable targets={targets} /> : null;
                })()}
              </section>
            )),
          )}
          <p className="small muted">{t("planFootnote")}</p>
          {canPlan && (
            <Form method="post" className="plan-adopt filters no-print" data-testid="adopt-form">
              <input type="hidden" name="stamp" value={stamp} />
              {existing.length > 0 && (
                <p className="muted small" style={{ flexBasis: "100%" }}>
                  {year}
                  {t("existingBudgets")}：
                  {existing.map((p) => `${p.unitName}「${p.projectName}」${formatAmount(p.initial)}（${p.inUse.map(m).join(t("listSeparator")) || "—"}）`).join("；")}
                </p>
              )}
              {needingBasis.length > 0 && (
                <fieldset className="plan-bases" data-testid="adopt-bases" style={{ flexBasis: "100%" }}>
                  <legend className="small">{t("adoptBasesTitle")}</legend>
                  {needingBasis.map((line) => (
                    <label key={line.key} className="small">
                      {line.projectName} · {line.item}（{line.attention.filter((a) => NEEDS_BASIS.has(a.code)).map((a) => attentionText(t, a)).join("；")}）
                      <textarea name={`basis:${line.key}`} rows={2} maxLength={500} required aria-label={`${t("writtenBasis")}：${line.item}`} />
                    </label>
                  ))}
                </fieldset>
              )}
              {replaceable && (
                <label>
                  <span>
                    <input type="checkbox" name="replace" value="1" /> {t("adoptReplace")}
                  </span>
                </label>
              )}
              <button type="submit" name="intent" value="adopt">
                {t("adoptPlan")}
              </button>
              {adoptError && (
                <span className="form-error" role="alert" data-testid="adopt-error">
                  {m(adoptError)}
                </span>
              )}
              {actionData?.intent === "adopt" && actionData.message && (
                <span className="form-ok" role="status" data-testid="adopt-done">
                  {m(actionData.message)} <Link to={`/?year=${year}`}>{t("viewOnDashboard")}</Link>
                </span>
              )}
            </Form>
          )}
        </>
      )}
    </>
  );
}
