import { Form, Link, data, useLocation, useNavigation } from "react-router";
import type { Route } from "./+types/drivers";
import { database } from "../db.server";
import { withActor } from "../../db/audit";
import {
  addCostShareVersion,
  CostShareError,
  deleteDriver,
  driverById,
  driverValues,
  listCostShares,
  lockDriverAt,
  ownerOfCostShare,
  planFormulas,
  saveDriver,
  unitOfDriver,
} from "../../db/drivers";
import { DRIVER_FIELDS, driverInputValue, formatDriverValue, parseDriverForm, sameSeries, type DriverField } from "../../domain/driver-form";
import { APPLIES_TO, COST_SHARE_FIELDS, parseCostShareForm, SHARE_LEVELS, sharePercentInput, type CostShareErrorField, type CostShareField } from "../../domain/cost-share-form";
import type { FundLevel, PlanFormula } from "../../domain/plan-formulas";
import { todayInChina } from "../../domain/dates";
import { formatNumber } from "../../domain/money";
import { roleAllows } from "../../domain/permissions";
import { recordId } from "../../domain/record-id";
import { subtreeOf, unitOfQuery } from "../dashboard.server";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { currentUser, guard } from "../guard.server";
import { fill, languageOf, translate, useT, type Language, type MessageKey } from "../i18n";
import { appliesToName, costShareProblemText, costShareRefusalText, driverProblemText, DRIVER_FIELD_KEY, levelName, SHARE_FIELD_KEY } from "../drivers-messages";

/*
 * 测算因素 (/drivers): the drivers of zero-based planning (participants, the per-capita overspend…) of the
 * user's units, which planners of a unit enter and correct (audited); the cost shares (分担比例), to which
 * administrators and planners of the owning unit or a unit above it add versions (as /standards does for
 * the expenditure standards); and the formulas (测算公式) that turn them into planned lines, read-only.
 * The plan links to /drivers#CODE and /drivers#share-CODE.
 */

const LEVELS: readonly FundLevel[] = SHARE_LEVELS.map((l) => l.level);
const KIND_KEY: Record<PlanFormula["kind"], MessageKey> = {
  fundraising: "kindFundraising",
  clearing: "kindClearing",
  overspend: "kindOverspend",
  quantity: "kindQuantity",
};

/** A message of the catalogue with its {placeholders} filled. */
function message(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(translate(language, key), params);
}

/**
 * Readable widths for the tables: on a narrow screen (390 px) they scroll inside their box (.table-scroll)
 * instead of squeezing names and documents to a character a line. 1rem = 14px (app.css).
 */
const MIN_WIDTH = { drivers: { minWidth: "72rem" }, shares: { minWidth: "72rem" }, formulas: { minWidth: "80rem" } } as const;
/** Columns of names and documents keep a readable width beside the codes. */
const TEXT_COLUMN = { narrow: { minWidth: "7em" }, wide: { minWidth: "12em" } } as const;
/** The four percents of the cost share form, side by side under their legend. */
const PERCENT_GROUP = { display: "flex", flexWrap: "wrap", alignItems: "end", gap: 12, border: "1px solid var(--line)", padding: "4px 8px 8px", margin: 0 } as const;

export function meta() {
  return [{ title: "测算因素 · 预算执行监控" }];
}

type FormValues = Record<DriverField | "unit" | "editId" | "version", string>;
type ShareValues = Record<CostShareField, string>;

/**
 * Administrators and planners maintain the cost shares, each only those of their own unit and the units
 * below it (the owning unit must lie in the user's subtree); a new code is owned by the user's own unit.
 */
function guardShares(context: Route.ActionArgs["context"], request: Request, ownerUnitId: number | null) {
  const user = currentUser(context);
  return guard(context, request, roleAllows(user.roles, "administer") ? "administer" : "edit-budget", ownerUnitId);
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const { language } = languageOf(request);
  const params = new URL(request.url).searchParams;
  const { unitId, units } = await unitOfQuery(db, user, params);
  const scope = subtreeOf(units, unitId);
  const [drivers, formulas, shares] = await Promise.all([driverValues(db, scope), planFormulas(db, scope), listCostShares(db)]);
  const order = new Map(units.map((unit, index) => [unit.id, index]));
  const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
  const byUnit = (a: { unitId: number }, b: { unitId: number }) => (order.get(a.unitId) ?? 0) - (order.get(b.unitId) ?? 0);
  const sortedDrivers = [...drivers].sort((a, b) => byUnit(a, b) || a.code.localeCompare(b.code) || a.year - b.year);
  const sortedFormulas = [...formulas].sort((a, b) => byUnit(a, b) || a.projectName.localeCompare(b.projectName) || a.seq - b.seq || a.effectiveFrom - b.effectiveFrom);
  const canEdit = roleAllows(user.roles, "edit-budget");
  const mayMaintainShares = canEdit || roleAllows(user.roles, "administer");
  const subtree = new Set(user.unitSubtree);

  // ?edit=ID fills the form with a value to correct; ?add=ID with its unit, code, name and measure for the next year.
  let prefill: FormValues | null = null;
  const editText = params.get("edit");
  const addText = params.get("add");
  if (canEdit && (editText !== null || addText !== null)) {
    const id = recordId(editText ?? addText);
    const driverUnit = id === null ? undefined : await unitOfDriver(db, id);
    if (id === null || driverUnit === undefined) throw data(message(language, "drvNotFound"), { status: 404 });
    guard(context, request, "read", driverUnit);
    const own = drivers.some((d) => d.unitId === driverUnit) ? drivers : await driverValues(db, [driverUnit]);
    const driver = own.find((d) => d.id === id)!;
    const latest = Math.max(...own.filter((d) => d.unitId === driver.unitId && d.code === driver.code).map((d) => d.year));
    prefill =
      editText !== null
        ? {
            unit: String(driver.unitId),
            year: String(driver.year),
            code: driver.code,
            name: driver.name,
            value: driverInputValue(driver.value),
            measure: driver.measure,
            status: driver.status,
            document: driver.document,
            note: driver.note ?? "",
            editId: String(driver.id),
            version: String(driver.version),
          }
        : {
            unit: String(driver.unitId),
            year: String(Math.min(latest + 1, 2100)),
            code: driver.code,
            name: driver.name,
            value: "",
            measure: driver.measure,
            status: "estimated",
            document: "",
            note: "",
            editId: "",
            version: "",
          };
  }

  // ?share=CODE fills the cost share form with the code's latest version, for a new version from a new date.
  let sharePrefill: { values: ShareValues; revision: number; ownerUnitName: string } | null = null;
  const shareCode = params.get("share");
  if (mayMaintainShares && shareCode !== null) {
    const latest = [...shares].reverse().find((s) => s.code === shareCode);
    if (!latest) throw data(message(language, "drvShareNotFound"), { status: 404 });
    guardShares(context, request, latest.ownerUnitId);
    const percents = Object.fromEntries(SHARE_LEVELS.map(({ level, field }) => [field, sharePercentInput(latest.shares[level])]));
    sharePrefill = {
      values: { code: latest.code, name: latest.name, spending: latest.spending, appliesTo: latest.appliesTo, ...percents, effectiveFrom: "", document: "", note: "" } as ShareValues,
      revision: latest.revision,
      ownerUnitName: latest.ownerUnitName,
    };
  }

  return {
    unitId: unitId === user.unitId ? null : unitId,
    ownUnitName: user.unitName,
    unitChoices: units.length > 1 ? unitChoices(units, user.unitId) : [],
    drivers: sortedDrivers.map((d) => ({ ...d, unitName: unitName.get(d.unitId) ?? "" })),
    formulas: sortedFormulas.map((f) => ({ ...f, unitName: unitName.get(f.unitId) ?? "" })),
    shares,
    today: todayInChina(),
    canEdit,
    /** The units the form offers (the user's subtree), indented by depth; the filter's unit first chosen. */
    editableUnits: canEdit ? units.map((unit) => ({ id: unit.id, label: `${"　".repeat(unit.ancestors.length - Math.min(...units.map((u) => u.ancestors.length)))}${unit.name}` })) : [],
    defaultUnit: String(unitId),
    prefill,
    mayMaintainShares,
    /** The cost share codes this user may add versions of (owned by the user's unit or a unit below it). */
    maintainableShares: mayMaintainShares ? [...new Set(shares.filter((s) => subtree.has(s.ownerUnitId)).map((s) => s.code))] : [],
    sharePrefill,
  };
}

type ActionResult = {
  /** Which form was posted: "save" (a driver), "delete" (a driver), "share" (a cost share version). */
  intent: string;
  /** Problems per field of the posted form, in the request's language. */
  errors: Partial<Record<DriverField | "unit" | CostShareErrorField, string>>;
  submitted: Record<string, string> | null;
  /** A message for the whole form or the table (not found, changed meanwhile). */
  problem: string | null;
  done: string | null;
  stamp: string;
};

export async function action({ request, context }: Route.ActionArgs) {
  const { language } = languageOf(request);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const intent = field("intent");
  // Cost shares: administrators and planners; drivers (and anything else): planners.
  const user = intent === "share" ? guardShares(context, request, null) : guard(context, request, "edit-budget", null);
  const db = await database();
  const actor = { userId: user.id, username: user.username };
  const stamp = String(Date.now());
  const result = (values: Partial<ActionResult>, status = 200) => data<ActionResult>({ intent, errors: {}, submitted: null, problem: null, done: null, stamp, ...values }, { status });

  if (intent === "share") {
    const submitted = Object.fromEntries(COST_SHARE_FIELDS.map((name) => [name, field(name)])) as ShareValues;
    // The code's owning unit decides who may add a version; a new code belongs to the user's unit.
    const code = submitted.code.trim().toUpperCase();
    const owner = code === "" ? undefined : await ownerOfCostShare(db, code);
    guardShares(context, request, owner ?? user.unitId);
    const parsed = parseCostShareForm(submitted);
    if ("errors" in parsed) {
      const errors = Object.fromEntries(Object.entries(parsed.errors).map(([name, problem]) => [name, costShareProblemText(language, name as CostShareErrorField, problem)]));
      return result({ errors, submitted }, 400);
    }
    try {
      const added = await withActor(db, actor, (trx) => addCostShareVersion(trx, parsed.values, { ownerUnitId: user.unitId, today: todayInChina() }));
      const params = { code: added.code, revision: added.revision, from: added.effectiveFrom };
      return result({
        done: added.closed
          ? message(language, "drvShareAddedClosing", { ...params, previous: added.closed.revision, to: added.closed.effectiveTo })
          : message(language, "drvShareAdded", params),
      });
    } catch (error) {
      if (error instanceof CostShareError) return result({ errors: { [error.field]: costShareRefusalText(language, error.refusal) }, submitted }, 400);
      throw error;
    }
  }

  if (intent === "delete") {
    const id = recordId(field("id"));
    const unitId = id === null ? undefined : await unitOfDriver(db, id);
    if (id === null || unitId === undefined) return result({ problem: message(language, "drvNotFound") }, 404);
    guard(context, request, "edit-budget", unitId);
    const removed = await withActor(db, actor, async (trx) => {
      const row = await driverById(trx, id);
      return row && (await deleteDriver(trx, id)) ? row : undefined;
    });
    if (!removed) return result({ problem: message(language, "drvNotFound") }, 404);
    return result({ done: message(language, "drvDeleted", { unit: removed.unitName, code: removed.code, year: removed.year }) });
  }

  if (intent !== "save") return result({ problem: message(language, "drvUnknownIntent") }, 400);
  const submitted = Object.fromEntries([...DRIVER_FIELDS, "unit", "editId", "version"].map((name) => [name, field(name)])) as FormValues;
  const unitId = submitted.unit === "" ? user.unitId : recordId(submitted.unit);
  if (unitId === null) return result({ errors: { unit: message(language, "drvUnknownUnit") }, submitted }, 400);
  guard(context, request, "edit-budget", unitId);
  const parsed = parseDriverForm(submitted);
  if ("errors" in parsed) {
    const errors = Object.fromEntries(Object.entries(parsed.errors).map(([name, problem]) => [name, driverProblemText(language, name as DriverField, problem)]));
    return result({ errors, submitted }, 400);
  }
  const { values } = parsed;
  // One code is one series: its name and measure stay as in the unit's other years.
  const series = (await driverValues(db, [unitId])).filter((d) => d.code === values.code && d.year !== values.year);
  const seriesProblems = sameSeries(values, series);
  if (Object.keys(seriesProblems).length > 0) {
    const errors = Object.fromEntries(Object.entries(seriesProblems).map(([name, problem]) => [name, driverProblemText(language, name as DriverField, problem)]));
    return result({ errors, submitted }, 400);
  }
  const editId = recordId(submitted.editId);
  const seenVersion = recordId(submitted.version);
  const outcome = await withActor(db, actor, async (trx) => {
    const existing = await lockDriverAt(trx, unitId, values.code, values.year);
    // Correcting the value the planner opened: refused when someone changed it since (the form shows theirs).
    if (existing && editId === existing.id && seenVersion !== null && seenVersion !== existing.version) return { stale: true, current: existing } as const;
    await saveDriver(trx, { unitId, ...values }, user.username);
    const saved = await lockDriverAt(trx, unitId, values.code, values.year);
    const unit = saved ? await driverById(trx, saved.id) : undefined;
    return { stale: false, before: existing?.value ?? null, unitName: unit?.unitName ?? "" } as const;
  });
  if (outcome.stale) {
    return result(
      // The form keeps what the planner typed, now against the current version: submitting again overwrites knowingly.
      {
        submitted: { ...submitted, version: String(outcome.current.version) },
        problem: message(language, "drvStale", { code: values.code, year: values.year, value: formatDriverValue(outcome.current.value) }),
      },
      409,
    );
  }
  const params = { unit: outcome.unitName, code: values.code, year: values.year, value: formatDriverValue(values.value), measure: values.measure };
  return result({
    done: outcome.before === null ? message(language, "drvSaved", params) : message(language, "drvCorrected", { ...params, before: formatDriverValue(outcome.before) }),
  });
}

/** "MH-PARTICIPANTS（Y-1）": a driver of a formula with its year offset, linked to its group when the page shows it. */
function DriverRef({ code, offset, shown, language }: { code: string; offset: number; shown: ReadonlySet<string>; language: Language }) {
  const year = offset === 0 ? "Y" : `Y${offset}`;
  return (
    <span className="nowrap">
      {shown.has(code) ? <a href={`#${code}`}>{code}</a> : code}
      {language === "zh" ? `（${year}）` : ` (${year})`}
    </span>
  );
}

export default function Drivers({ loaderData, actionData }: Route.ComponentProps) {
  const { language, t } = useT();
  const m = (key: MessageKey, params?: Record<string, string | number>) => fill(t(key), params ?? {});
  const navigation = useNavigation();
  const location = useLocation();
  const { drivers, formulas, shares, canEdit, prefill, editableUnits, today, sharePrefill, maintainableShares } = loaderData;
  const result = actionData as ActionResult | undefined;
  // Each form shows its own result: the driver form's problems and input, and the cost share form's.
  const errors = result?.intent === "save" ? result.errors : {};
  // After a save the form starts afresh (a new entry): the ?edit= row it was opened with is history now.
  const saved = result?.intent === "save" && result.done !== null;
  const values: Partial<FormValues> = saved ? {} : ((result?.intent === "save" ? result.submitted : null) ?? prefill ?? {});
  const shareErrors = result?.intent === "share" ? result.errors : {};
  const sharedSaved = result?.intent === "share" && result.done !== null;
  const shareValues: Partial<ShareValues> = sharedSaved ? {} : ((result?.intent === "share" ? result.submitted : null) ?? sharePrefill?.values ?? {});
  const codesShown = new Set(drivers.map((d) => d.code));
  const level = (l: FundLevel) => levelName(language, l);
  const kind = (k: PlanFormula["kind"]) => {
    const text = t(KIND_KEY[k]);
    return language === "en" ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  };
  // Links keep the unit filter: ?unit=…&edit=ID (one form's prefill at a time).
  const linkWith = (name: "edit" | "add" | "share" | null, id?: number | string, anchor = "driver-form") => {
    const params = new URLSearchParams(location.search);
    params.delete("edit");
    params.delete("add");
    params.delete("share");
    if (name !== null) params.set(name, String(id));
    return `?${params.toString()}#${anchor}`;
  };
  // A deletion lands on the page without ?edit/?add (the value it named may be the one deleted).
  const plainParams = new URLSearchParams(location.search);
  plainParams.delete("edit");
  plainParams.delete("add");
  plainParams.delete("share");
  const deleteAction = `/drivers${plainParams.size > 0 ? `?${plainParams.toString()}` : ""}`;

  // Groups of one unit and code, in the loader's order (unit, code, year); the first group of a code carries id=CODE.
  const groups: Array<{ key: string; unitName: string; code: string; anchor: string | undefined; rows: typeof drivers }> = [];
  const anchored = new Set<string>();
  for (const d of drivers) {
    const last = groups.at(-1);
    if (last && last.rows[0]!.unitId === d.unitId && last.code === d.code) last.rows.push(d);
    else {
      groups.push({ key: `${d.unitId}:${d.code}`, unitName: d.unitName, code: d.code, anchor: anchored.has(d.code) ? undefined : d.code, rows: [d] });
      anchored.add(d.code);
    }
  }

  const formKey = `${values.editId ?? ""}:${values.code ?? ""}:${result?.done && result.intent !== "share" ? result.stamp : ""}`;
  const fieldProps = (name: DriverField) => ({
    name,
    defaultValue: values[name] ?? "",
    "aria-invalid": errors[name] ? true : undefined,
  });
  const fieldError = (name: DriverField | "unit") =>
    errors[name] ? (
      <span className="field-error" role="alert" data-field={name}>
        {errors[name]}
      </span>
    ) : null;
  const labels = Object.fromEntries(DRIVER_FIELDS.map((name) => [name, t(DRIVER_FIELD_KEY[name])])) as Record<DriverField, string>;

  // The cost share form: a new version of ?share=CODE, or a new code; it starts afresh after a version is added.
  const shareFormKey = `share:${sharePrefill?.values.code ?? ""}:${result?.done && result.intent === "share" ? result.stamp : ""}`;
  const shareError = (name: CostShareErrorField) =>
    shareErrors[name] ? (
      <span className="field-error" role="alert" data-field={name}>
        {shareErrors[name]}
      </span>
    ) : null;
  const shareInput = (name: CostShareField, props: { size?: number; inputMode?: "decimal"; type?: "text" | "date" } = {}) => (
    <input
      name={name}
      defaultValue={shareValues[name] ?? ""}
      type={props.type ?? "text"}
      size={props.size}
      inputMode={props.inputMode}
      aria-invalid={shareErrors[name] || (props.inputMode === "decimal" && shareErrors.total) ? true : undefined}
    />
  );
  const inForce = (s: (typeof shares)[number]) => s.effectiveFrom <= today && (s.effectiveTo === null || s.effectiveTo >= today);

  return (
    <>
      <div className="page-title">
        <h1>{m("drvTitle")}</h1>
      </div>
      <p className="muted small">{m("drvHint")}</p>
      {loaderData.unitChoices.length > 0 && (
        <Form method="get" className="filters no-print">
          <UnitFilter ownUnitName={loaderData.ownUnitName} units={loaderData.unitChoices} value={loaderData.unitId ?? ""} />
          <button type="submit">{t("apply")}</button>
        </Form>
      )}
      {result?.done && result.intent !== "share" && (
        <p className="form-ok" role="status" data-testid="driver-done">
          {result.done}
        </p>
      )}
      {result?.problem && result.intent !== "save" && result.intent !== "share" && (
        <p className="form-error" role="alert" data-testid="driver-problem">
          {result.problem}
        </p>
      )}

      {drivers.length === 0 ? (
        <p className="muted">{m("drvNone")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="drivers-table" style={MIN_WIDTH.drivers}>
            <thead>
              <tr>
                <th style={TEXT_COLUMN.narrow}>{m("drvUnit")}</th>
                <th>{m("drvCode")}</th>
                <th style={TEXT_COLUMN.narrow}>{m("drvName")}</th>
                <th className="num">{m("drvYear")}</th>
                <th className="num">{m("drvValue")}</th>
                <th>{m("drvMeasure")}</th>
                <th>{t("status")}</th>
                <th style={TEXT_COLUMN.wide}>{m("drvDocument")}</th>
                <th>{t("note")}</th>
                <th>{m("drvUpdatedBy")}</th>
                {canEdit && <th className="no-print">{m("drvActions")}</th>}
              </tr>
            </thead>
            {groups.map((group) => (
              <tbody key={group.key} id={group.anchor} data-testid="driver-group" data-code={group.code} data-unit={group.unitName}>
                {group.rows.map((d, index) => (
                  <tr key={d.id} data-testid="driver-row" data-year={d.year} data-id={d.id}>
                    {index === 0 && <td rowSpan={group.rows.length}>{group.unitName}</td>}
                    {index === 0 && (
                      <td rowSpan={group.rows.length}>
                        <strong className="nowrap">{group.code}</strong>
                        {canEdit && (
                          <div className="no-print">
                            <Link to={linkWith("add", d.id)} className="small">
                              {m("drvAddYear")}
                            </Link>
                          </div>
                        )}
                      </td>
                    )}
                    <td>{d.name}</td>
                    <td className="num">{d.year}</td>
                    <td className="num" data-field="value">
                      {formatDriverValue(d.value)}
                    </td>
                    <td>{d.measure}</td>
                    <td data-field="status">{t(d.status === "actual" ? "driverActual" : "driverEstimated")}</td>
                    <td className="small">{d.document}</td>
                    <td className="small">{d.note ?? ""}</td>
                    <td className="small">{d.updatedBy}</td>
                    {canEdit && (
                      <td className="no-print nowrap">
                        <Link to={linkWith("edit", d.id)} data-testid="driver-correct">
                          {m("drvCorrect")}
                        </Link>
                        <details className="small">
                          <summary>{m("drvDelete")}</summary>
                          <Form method="post" action={deleteAction} className="inline-form">
                            <input type="hidden" name="intent" value="delete" />
                            <input type="hidden" name="id" value={d.id} />
                            <button type="submit" disabled={navigation.state !== "idle"} data-testid="driver-delete">
                              {m("drvConfirmDelete", { code: d.code, year: d.year })}
                            </button>
                          </Form>
                        </details>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}

      <h2 id="driver-form">{m("drvFormTitle")}</h2>
      {!canEdit || editableUnits.length === 0 ? (
        <p className="muted" data-testid="drivers-read-only">
          {m("drvReadOnly")}
        </p>
      ) : (
        <>
          <p className="muted small">
            {values.editId
              ? m("drvCorrecting", { code: values.code ?? "", year: values.year ?? "", unit: editableUnits.find((u) => String(u.id) === values.unit)?.label.trim() ?? "" })
              : m("drvFormHint")}
          </p>
          {result?.problem && result.intent === "save" && (
            <p className="form-error" role="alert" data-testid="driver-problem">
              {result.problem}
            </p>
          )}
          {saved && (
            <p className="form-ok" role="status" data-testid="driver-saved">
              {result.done}
            </p>
          )}
          <Form method="post" className="filters" key={formKey} data-testid="driver-form">
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="editId" value={values.editId ?? ""} />
            <input type="hidden" name="version" value={values.version ?? ""} />
            {editableUnits.length > 1 ? (
              <label>
                {m("drvUnit")}
                <select name="unit" defaultValue={values.unit ?? loaderData.defaultUnit} aria-invalid={errors.unit ? true : undefined}>
                  {editableUnits.map((unit) => (
                    <option key={unit.id} value={unit.id}>
                      {unit.label}
                    </option>
                  ))}
                </select>
                {fieldError("unit")}
              </label>
            ) : (
              <input type="hidden" name="unit" value={editableUnits[0]!.id} />
            )}
            {DRIVER_FIELDS.map((name) => (
              <label key={name}>
                {labels[name]}
                {name === "status" ? (
                  <select {...fieldProps("status")} defaultValue={values.status || "actual"}>
                    <option value="actual">{t("driverActual")}</option>
                    <option value="estimated">{t("driverEstimated")}</option>
                  </select>
                ) : (
                  <input
                    {...fieldProps(name)}
                    type="text"
                    inputMode={name === "year" ? "numeric" : name === "value" ? "decimal" : undefined}
                    size={name === "document" ? 40 : name === "year" ? 6 : name === "measure" ? 8 : undefined}
                  />
                )}
                {fieldError(name)}
              </label>
            ))}
            <button type="submit" disabled={navigation.state !== "idle"}>
              {t("save")}
            </button>
            {values.editId && (
              <Link to={linkWith(null)} className="small">
                {m("drvNewValue")}
              </Link>
            )}
          </Form>
        </>
      )}

      <h2 id="shares">{m("drvSharesTitle")}</h2>
      <p className="muted small">{m("drvSharesHint")}</p>
      <div className="table-scroll">
        <table className="data-table" data-testid="shares-table" style={MIN_WIDTH.shares}>
          <thead>
            <tr>
              <th>{m("drvCode")}</th>
              <th>{t("standardOwner")}</th>
              <th className="num">{t("revision")}</th>
              <th style={TEXT_COLUMN.narrow}>{m("drvName")}</th>
              <th style={TEXT_COLUMN.narrow}>{m("drvSpending")}</th>
              <th>{m("drvAppliesTo")}</th>
              {LEVELS.map((l) => (
                <th key={l} className="num">
                  {level(l)} %
                </th>
              ))}
              <th>{m("drvPeriod")}</th>
              <th style={TEXT_COLUMN.wide}>
                {m("drvDocument")} · {t("note")}
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s, index) => {
              const first = index === 0 || shares[index - 1]!.code !== s.code;
              return (
                <tr
                  key={s.id}
                  id={first ? `share-${s.code}` : undefined}
                  data-testid="share-row"
                  data-code={s.code}
                  data-revision={s.revision}
                  className={inForce(s) ? undefined : "future"}
                >
                  <td>
                    {first ? <strong className="nowrap">{s.code}</strong> : ""}
                    {first && maintainableShares.includes(s.code) && (
                      <div className="no-print">
                        <Link to={linkWith("share", s.code, "share-form")} className="small" data-testid="share-new-version">
                          {t("newVersionOf")}
                        </Link>
                      </div>
                    )}
                  </td>
                  <td>{first ? s.ownerUnitName : ""}</td>
                  <td className="num">
                    {s.revision}
                    {inForce(s) && <span className="badge-ok">{t("inForce")}</span>}
                  </td>
                  <td>{s.name}</td>
                  <td>{s.spending}</td>
                  <td>{appliesToName(language, s.appliesTo)}</td>
                  {LEVELS.map((l) => (
                    <td key={l} className="num" data-level={l}>
                      {formatNumber(s.shares[l])}
                    </td>
                  ))}
                  <td data-field="period">
                    <span className="nowrap">{s.effectiveFrom}</span>
                    {m("drvPeriodJoin")}
                    <span className="nowrap">{s.effectiveTo ?? m("drvOpenEnded")}</span>
                  </td>
                  <td className="small">
                    {s.document}
                    {s.note && (
                      <div className="muted" data-field="note">
                        {s.note}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3 id="share-form">{m("drvShareFormTitle")}</h3>
      {!loaderData.mayMaintainShares ? (
        <p className="muted" data-testid="shares-read-only">
          {m("drvShareReadOnly")}
        </p>
      ) : (
        <>
          <p className="muted small">
            {sharePrefill && !sharedSaved
              ? m("drvShareVersionOf", { code: sharePrefill.values.code, revision: sharePrefill.revision, owner: sharePrefill.ownerUnitName })
              : m("drvShareFormHint")}
          </p>
          {result?.done && result.intent === "share" && (
            <p className="form-ok" role="status" data-testid="share-done">
              {result.done}
            </p>
          )}
          <Form method="post" className="filters" key={shareFormKey} data-testid="share-form">
            <input type="hidden" name="intent" value="share" />
            <label>
              {m("drvCode")}
              {shareInput("code", { size: 18 })}
              {shareError("code")}
            </label>
            <label>
              {m("drvName")}
              {shareInput("name", { size: 30 })}
              {shareError("name")}
            </label>
            <label>
              {m("drvSpending")}
              {shareInput("spending", { size: 16 })}
              {shareError("spending")}
            </label>
            <label>
              {m("drvAppliesTo")}
              <select name="appliesTo" defaultValue={shareValues.appliesTo || "镇"} aria-invalid={shareErrors.appliesTo ? true : undefined}>
                {APPLIES_TO.map((a) => (
                  <option key={a} value={a}>
                    {appliesToName(language, a)}
                  </option>
                ))}
              </select>
              {shareError("appliesTo")}
            </label>
            <fieldset style={PERCENT_GROUP} data-testid="share-percents">
              <legend className="small muted">{m("drvSharePercents")}</legend>
              {SHARE_LEVELS.map(({ level: l, field: name }) => (
                <label key={name}>
                  {level(l)}
                  {shareInput(name, { size: 6, inputMode: "decimal" })}
                  {shareError(name)}
                </label>
              ))}
              {shareError("total")}
            </fieldset>
            <label>
              {t("effectiveFrom")}
              {shareInput("effectiveFrom", { type: "date" })}
              {shareError("effectiveFrom")}
            </label>
            <label>
              {m("drvDocument")}
              {shareInput("document", { size: 40 })}
              {shareError("document")}
            </label>
            <label>
              {t("note")}
              {shareInput("note", { size: 30 })}
              {shareError("note")}
            </label>
            <button type="submit" disabled={navigation.state !== "idle"}>
              {t("save")}
            </button>
            {sharePrefill && (
              <Link to={linkWith(null, undefined, "share-form")} className="small">
                {m("drvShareNew")}
              </Link>
            )}
          </Form>
        </>
      )}

      <h2 id="formulas">{m("drvFormulasTitle")}</h2>
      <p className="muted small">{m("drvFormulasHint")}</p>
      {formulas.length === 0 ? (
        <p className="muted">{m("drvNoFormulas")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="formulas-table" style={MIN_WIDTH.formulas}>
            <thead>
              <tr>
                <th style={TEXT_COLUMN.narrow}>{m("drvUnit")}</th>
                <th>{m("drvProject")}</th>
                <th className="num">{t("seqNo")}</th>
                <th>{t("composition")}</th>
                <th style={TEXT_COLUMN.narrow}>{t("item")}</th>
                <th>{m("drvKind")}</th>
                <th>{t("quantity")}</th>
                <th>{m("drvPrice")}</th>
                <th>{m("drvShare")}</th>
                <th>{m("drvReplaces")}</th>
                <th className="num">{m("drvFrom")}</th>
                <th style={TEXT_COLUMN.narrow}>{m("drvDocument")}</th>
              </tr>
            </thead>
            <tbody>
              {formulas.map((f) => (
                <tr key={f.id} data-testid="formula-row" data-item={f.item}>
                  <td>{f.unitName}</td>
                  <td>{f.projectName}</td>
                  <td className="num">{f.seq}</td>
                  <td>{f.composition}</td>
                  <td data-field="item">{f.item}</td>
                  <td className="nowrap">{kind(f.kind)}</td>
                  <td data-field="quantity">
                    <DriverRef code={f.quantityDriver} offset={f.quantityOffset} shown={codesShown} language={language} />
                    {f.minusOffset !== null && (
                      <>
                        {" − "}
                        <DriverRef code={f.quantityDriver} offset={f.minusOffset} shown={codesShown} language={language} />
                      </>
                    )}
                  </td>
                  <td data-field="price">
                    {f.priceStandard !== null ? (
                      <>
                        <a href={`/standards#${f.priceStandard}`} className="nowrap">
                          {f.priceStandard}
                        </a>
                        {f.priceLess !== null && (
                          <>
                            {" − "}
                            <a href={`/standards#${f.priceLess}`} className="nowrap">
                              {f.priceLess}
                            </a>
                          </>
                        )}
                      </>
                    ) : f.priceDriver !== null ? (
                      <DriverRef code={f.priceDriver} offset={f.priceOffset ?? 0} shown={codesShown} language={language} />
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-field="share">
                    {f.shareCode !== null && f.shareLevel !== null ? (
                      <>
                        <a href={`#share-${f.shareCode}`} className="nowrap">
                          {f.shareCode}
                        </a>{" "}
                        · {level(f.shareLevel)}
                      </>
                    ) : (
                      m("drvNoShare")
                    )}
                  </td>
                  <td>{f.replacesItem ?? "—"}</td>
                  <td className="num">
                    {f.effectiveFrom}
                    {f.effectiveTo !== null ? `–${f.effectiveTo}` : ""}
                  </td>
                  <td className="small">{f.document}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
