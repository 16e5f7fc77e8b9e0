/*
 * 测算因素 (/drivers) on the server: what the page loads (drivers, cost shares and formulas of the
 * user's units, a form's prefill) and what its forms do (save or delete a driver, add a cost share
 * version), each checked for role and unit. The route only wires these to React Router.
 */
import { data } from "react-router";
import type { Route } from "./routes/+types/drivers";
import { database } from "./db.server";
import { withActor } from "../db/audit";
import { addCostShareVersion, CostShareError, deleteDriver, driverById, driverValues, listCostShares, lockDriverAt, ownerOfCostShare, planFormulas, saveDriver, unitOfDriver } from "../db/drivers";
import { DRIVER_FIELDS, driverInputValue, formatDriverValue, parseDriverForm, sameSeries, type DriverField } from "../domain/driver-form";
import { COST_SHARE_FIELDS, parseCostShareForm, SHARE_LEVELS, sharePercentInput, type CostShareErrorField, type CostShareField } from "../domain/cost-share-form";
import { todayInChina } from "../domain/dates";
import { roleAllows } from "../domain/permissions";
import { recordId } from "../domain/record-id";
import { subtreeOf, unitOfQuery } from "./dashboard.server";
import { unitChoices } from "./components/unit-filter";
import { currentUser, guard } from "./guard.server";
import { fill, languageOf, translate, type Language, type MessageKey } from "./i18n";
import { costShareProblemText, costShareRefusalText, driverProblemText } from "./drivers-messages";

/** A message of the catalogue with its {placeholders} filled. */
function message(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(translate(language, key), params);
}

export type FormValues = Record<DriverField | "unit" | "editId" | "version", string>;
export type ShareValues = Record<CostShareField, string>;

/**
 * Administrators and planners maintain the cost shares, each only those of their own unit and the units
 * below it (the owning unit must lie in the user's subtree); a new code is owned by the user's own unit.
 */
function guardShares(context: Route.ActionArgs["context"], request: Request, ownerUnitId: number | null) {
  const user = currentUser(context);
  return guard(context, request, roleAllows(user.roles, "administer") ? "administer" : "edit-budget", ownerUnitId);
}

export async function driversLoader({ request, context }: Route.LoaderArgs) {
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

export type ActionResult = {
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

export async function driversAction({ request, context }: Route.ActionArgs) {
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

