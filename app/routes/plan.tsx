import { useEffect, useState } from "react";
import { Form, Link, data, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/plan";
import { database } from "../db.server";
import { adoptPlan, inUse, nextPlanYear, overridePlanLine, planPage, resetPlanLine, type OverrideErrors, type PlanActor } from "../../features/plan/service";
import { type PlanLine } from "../../features/plan/rules/zero-based-plan";
import { NEEDS_BASIS } from "../../features/plan/rules/derived-lines";
import { formatAmount } from "../../domain/money";
import { currentUser, guard, refusal } from "../guard.server";
import { fill, msg, render, useT, type Message } from "../i18n";
import { metaLanguage } from "../route-title";
import { recordIdSchema, requireParam, yearSchema } from "../route-params.server";
import { type FanPoint } from "../components/fan-chart";
import { LineRows, OpenItemText, ProjectResults, TargetsTable, Totals, attentionText } from "../components/plan-lines";

export function meta({ params, matches }: Route.MetaArgs) {
  return [{ title: render(metaLanguage(matches), msg("pageTitle", { page: msg("planPageTitle", { year: params.year ?? "" }) })) }];
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

/** The fan chart of a line: the whole history the forecast was fitted on, then the year's proposal with its bands. */
function fanPoints(line: PlanLine): FanPoint[] {
  const { history } = line;
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
  const { units, canPlan, plan, performance } = await planPage(await database(), user, { year, unitId });
  const common = { year, unitId, units, canPlan, performance };
  if (plan === null) return { ...common, stamp: "", plan: null };
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

/** The override and reset forms: the line (null when its id is unreadable: the service answers "unknown line") and the typed-in figures. */
const lineFormSchema = z.object({
  lineId: recordIdSchema.nullable().catch(null),
  quantity: z.string().catch(""),
  unitPrice: z.string().catch(""),
  reason: z.string().catch(""),
});

export async function action({ request, params, context }: Route.ActionArgs) {
  const year = targetYear(request, params);
  const user = currentUser(context);
  const unitId = planningUnit(request, user.unitId);
  guard(context, request, "edit-budget", unitId);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const db = await database();
  const actor: PlanActor = { userId: user.id, username: user.username, roles: user.roles, unitSubtree: user.unitSubtree };

  if (intent === "override" || intent === "reset") {
    const line = lineFormSchema.parse({ lineId: form.get("lineId"), quantity: form.get("quantity"), unitPrice: form.get("unitPrice"), reason: form.get("reason") });
    const lineId = line.lineId;
    const outcome = intent === "reset" ? await resetPlanLine(db, actor, { year, lineId }) : await overridePlanLine(db, actor, { year, ...line });
    switch (outcome.outcome) {
      case "saved":
      case "reset":
        return { intent, lineId, errors: {} as OverrideErrors, message: outcome.message };
      case "unknownLine":
        return data({ intent, lineId, errors: outcome.errors, message: null }, { status: 404 });
      case "invalid":
        return data({ intent, lineId, errors: outcome.errors, message: null }, { status: 400 });
      case "forbidden":
        // The line's unit is not one the user plans for: the guard logs the refusal and answers 403.
        guard(context, request, "edit-budget", outcome.unitId);
        throw refusal(request, "forbidden", 403);
    }
  }
  if (intent === "adopt") {
    // The written bases of lines that are not zero-based (or derived to 0), by line key: basis:F12, basis:L345.
    const bases = new Map<string, string>();
    for (const [name, value] of form.entries()) if (name.startsWith("basis:") && typeof value === "string") bases.set(name.slice(6), value.trim());
    // The responses to open rectification items, by item id: response:12 (an unreadable id is left out, so its item counts as unanswered).
    const responses = new Map<number, string>();
    for (const [name, value] of form.entries()) {
      const itemId = name.startsWith("response:") ? recordIdSchema.safeParse(name.slice(9)) : null;
      if (itemId?.success && typeof value === "string") responses.set(itemId.data, value);
    }
    const outcome = await adoptPlan(db, actor, { year, unitId, replace: form.get("replace") === "1", stamp: String(form.get("stamp") ?? ""), bases, responses });
    if (outcome.outcome === "adopted") return { intent, lineId: null, errors: {}, message: outcome.message };
    const fields = outcome.outcome === "invalid" ? (outcome.errors ?? {}) : {};
    return data({ intent, lineId: null, errors: { ...fields, adopt: outcome.problem }, message: null }, { status: outcome.outcome === "invalid" ? 400 : 409 });
  }
  return data({ intent, lineId: null, errors: { adopt: msg("planUnknownIntent", { intent }) }, message: null }, { status: 400 });
}

export default function Plan({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { year, plan, canPlan, units, unitId, stamp, performance } = loaderData;
  const existing = plan?.existing ?? [];
  const replaceable = existing.length > 0 && existing.every((p) => p.inUse.length === 0);
  const adoptErrors = actionData?.intent === "adopt" ? (actionData.errors as Record<string, Message | undefined>) : {};
  const adoptError = adoptErrors.adopt;
  const openItems = [...new Map(performance.flatMap((p) => p.openItems).map((item) => [item.itemId, item])).values()];
  const needingBasis = (plan?.units ?? []).flatMap((u) => u.projects.flatMap((p) => p.lines)).filter((l) => l.attention.some((a) => NEEDS_BASIS.has(a.code)));
  // What 采纳 writes, as adoptPlanWithin counts it: shown for confirmation before anything is written.
  const preview = plan && {
    projects: plan.units.reduce((n, u) => n + u.projects.length, 0),
    lines: plan.units.reduce((n, u) => n + u.projects.reduce((k, p) => k + p.lines.length, 0), 0),
    total: plan.total.amount,
  };
  const [confirming, setConfirming] = useState(false);
  // After an answer (adopted or refused) the page shows it; a new adoption asks again.
  useEffect(() => setConfirming(false), [actionData]);
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
                        <tr data-testid="settlement-row" title={project.settlement.items.join(t("planSemicolon"))}>
                          <td />
                          <td colSpan={2}>
                            {t("settlementRows")}
                            <div className="small muted">{project.settlement.items.join(t("planSemicolon"))}</div>
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
                        <th className="num plan-interval">
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
                <ProjectResults results={performance.find((p) => p.projectId === project.projectId)} baseYear={year - 1} />
              </section>
            )),
          )}
          <p className="small muted">{t("planFootnote")}</p>
          {canPlan && (
            <Form method="post" className="plan-adopt filters no-print" data-testid="adopt-form">
              <input type="hidden" name="stamp" value={stamp} />
              {existing.length > 0 && (
                <p className="muted small" style={{ flexBasis: "100%" }}>
                  {m(msg("existingBudgets", { year }))}
                  {existing
                    .map((p) => m(msg("planExistingBudget", { unit: p.unitName, project: p.projectName, initial: p.initial, uses: p.inUse.length > 0 ? p.inUse : msg("planDash") })))
                    .join(t("planSemicolon"))}
                </p>
              )}
              {needingBasis.length > 0 && (
                <fieldset className="plan-bases" data-testid="adopt-bases" style={{ flexBasis: "100%" }}>
                  <legend className="small">{t("adoptBasesTitle")}</legend>
                  {needingBasis.map((line) => (
                    <label key={line.key} className="small">
                      {m(
                        msg("planNeedsBasisLine", {
                          project: line.projectName,
                          item: line.item,
                          attention: line.attention.filter((a) => NEEDS_BASIS.has(a.code)).map((a) => attentionText(t, a)).join(t("planSemicolon")),
                        }),
                      )}
                      <textarea name={`basis:${line.key}`} rows={2} maxLength={500} required aria-label={m(msg("planWrittenBasisFor", { item: line.item }))} />
                    </label>
                  ))}
                </fieldset>
              )}
              {openItems.length > 0 && (
                <fieldset className="plan-bases" data-testid="adopt-responses" style={{ flexBasis: "100%" }}>
                  <legend className="small">{t("rcResponsesTitle")}</legend>
                  {openItems.map((item) => (
                    <label key={item.itemId} className="small">
                      <span>
                        {item.projectName} · <OpenItemText item={item} />
                      </span>
                      <textarea
                        name={`response:${item.itemId}`}
                        rows={2}
                        maxLength={4000}
                        required
                        defaultValue={item.response ?? ""}
                        aria-invalid={adoptErrors[`response:${item.itemId}`] ? true : undefined}
                        aria-label={m(msg("rcResponseOf", { item: msg("rcItemName", { project: item.projectName, indicator: item.indicator }) }))}
                      />
                      {adoptErrors[`response:${item.itemId}`] && (
                        <span className="field-error" role="alert" data-field={`response:${item.itemId}`}>
                          {m(adoptErrors[`response:${item.itemId}`]!)}
                        </span>
                      )}
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
              {/* One click does not write next year's budget: the first shows what will be written and asks to confirm. */}
              {!confirming || !preview ? (
                <button type="button" onClick={() => setConfirming(true)} data-testid="adopt-start">
                  {t("adoptPlan")}
                </button>
              ) : (
                <span className="adopt-confirm" role="group" data-testid="adopt-confirm" style={{ flexBasis: "100%" }}>
                  <span>{m(msg("planAdoptConfirm", { year, projects: preview.projects, lines: preview.lines, total: preview.total }))}</span>
                  <button type="submit" name="intent" value="adopt" data-testid="adopt-submit">
                    {t("planAdoptConfirmButton")}
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    {t("cancel")}
                  </button>
                </span>
              )}
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
