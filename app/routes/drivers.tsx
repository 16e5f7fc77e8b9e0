import { Form, Link, data, useLocation, useNavigation } from "react-router";
import type { Route } from "./+types/drivers";
import { database } from "../db.server";
import { withActor } from "../../db/audit";
import { costShares, deleteDriver, driverById, driverValues, lockDriverAt, planFormulas, saveDriver, unitOfDriver } from "../../db/drivers";
import { DRIVER_FIELDS, driverInputValue, formatDriverValue, parseDriverForm, type DriverField } from "../../domain/driver-form";
import type { FundLevel, PlanFormula } from "../../domain/plan-formulas";
import { formatNumber } from "../../domain/money";
import { roleAllows } from "../../domain/permissions";
import { recordId } from "../../domain/record-id";
import { subtreeOf, unitOfQuery } from "../dashboard.server";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { guard } from "../guard.server";
import { languageOf, useT, type Language, type MessageKey } from "../i18n";

/*
 * 测算因素 (/drivers): the drivers of zero-based planning (participants, the per-capita overspend…) of the
 * user's units, which planners of a unit enter and correct (audited), with the cost shares (分担比例) and
 * the formulas (测算公式) that turn them into planned lines, read-only. The plan links to /drivers#CODE.
 */

// TODO move to app/i18n.ts (app/i18n.ts is being edited elsewhere; these keys are listed in the report).
const MESSAGES = {
  zh: {
    drvTitle: "测算因素",
    drvHint: "测算因素是零基预算测算公式的数量和单价来源（参加人数、人均超支额等），每个数值注明依据文件和实际/预计。更正后，下年预算即按新值测算；缺少的年度由模型按其他年度预计。",
    drvUnit: "单位",
    drvCode: "代码",
    drvName: "名称",
    drvYear: "年度",
    drvValue: "数值",
    drvMeasure: "计量单位",
    drvStatus: "状态",
    drvDocument: "依据文件",
    drvUpdatedBy: "最后修改人",
    drvActions: "操作",
    drvNone: "所选单位没有测算因素。",
    drvCorrect: "更正",
    drvAddYear: "添加年度",
    drvDelete: "删除",
    drvConfirmDelete: "确认删除 {code} {year} 年的数值",
    drvFormTitle: "录入或更正测算因素",
    drvFormHint: "同一单位、代码和年度已有数值时，保存即为更正（记入审计日志）。",
    drvCorrecting: "正在更正 {code} {year} 年的数值（{unit}）",
    drvNewValue: "新录入",
    drvReadOnly: "只有本单位的预算编制人员可以录入或更正测算因素。",
    drvSaved: "已保存：{unit} {code} {year} 年 = {value} {measure}",
    drvCorrected: "已更正：{unit} {code} {year} 年 = {value} {measure}（原为 {before}）",
    drvDeleted: "已删除：{unit} {code} {year} 年的数值",
    drvNotFound: "未找到该测算因素（可能已被删除）",
    drvUnknownUnit: "未找到该单位",
    drvUnknownIntent: "无法识别的操作",
    drvStale: "{code} {year} 年的数值已被他人修改（现为 {value}），请核对后重新提交",
    drvSharesTitle: "分担比例",
    drvSharesHint: "各级财政对一类支出的分担比例，按版本和起止日期生效（只读）。",
    drvSpending: "支出事项",
    drvAppliesTo: "适用",
    drvPeriod: "起止日期",
    drvOpenEnded: "今",
    drvPeriodJoin: " 至 ",
    drvFormulasTitle: "测算公式",
    drvFormulasHint: "下年预算中由测算因素推算的明细：数量 × 单价 × 分担比例（只读）。Y 为预算年度，Y-1 为上一年度；项目明细中的 {Y} 按预算年度替换。",
    drvProject: "项目",
    drvSeq: "序号",
    drvKind: "类别",
    drvQuantity: "数量",
    drvPrice: "单价",
    drvShare: "分担",
    drvReplaces: "替代明细",
    drvFrom: "起始年度",
    drvNoFormulas: "所选单位没有测算公式。",
    drvNoShare: "不分担",
    drvFilter: "查询",
  },
  en: {
    drvTitle: "Planning drivers",
    drvHint:
      "Drivers are the quantities and unit prices of zero-based planning formulas (participants, overspend per person…), each value with its document and whether it is actual or estimated. Once corrected, next year's plan uses the new value; missing years are forecast from the other years.",
    drvUnit: "Unit",
    drvCode: "Code",
    drvName: "Name",
    drvYear: "Year",
    drvValue: "Value",
    drvMeasure: "Measure",
    drvStatus: "Status",
    drvDocument: "Document",
    drvUpdatedBy: "Last changed by",
    drvActions: "Actions",
    drvNone: "The selected units have no drivers.",
    drvCorrect: "Correct",
    drvAddYear: "Add a year",
    drvDelete: "Delete",
    drvConfirmDelete: "Confirm: delete {code} for {year}",
    drvFormTitle: "Enter or correct a driver",
    drvFormHint: "Where the unit already has a value for the code and year, saving corrects it (recorded in the audit log).",
    drvCorrecting: "Correcting {code} for {year} ({unit})",
    drvNewValue: "New value",
    drvReadOnly: "Only the unit's planners may enter or correct drivers.",
    drvSaved: "Saved: {unit} {code} {year} = {value} {measure}",
    drvCorrected: "Corrected: {unit} {code} {year} = {value} {measure} (was {before})",
    drvDeleted: "Deleted: {unit} {code} for {year}",
    drvNotFound: "No such driver value (it may have been deleted)",
    drvUnknownUnit: "Unknown unit",
    drvUnknownIntent: "Unknown action",
    drvStale: "{code} for {year} was changed by someone else meanwhile (now {value}): check it and submit again",
    drvSharesTitle: "Cost shares",
    drvSharesHint: "Each level's share of a kind of spending, by version and period (read-only).",
    drvSpending: "Spending",
    drvAppliesTo: "Applies to",
    drvPeriod: "Period",
    drvOpenEnded: "open",
    drvPeriodJoin: " to ",
    drvFormulasTitle: "Planning formulas",
    drvFormulasHint:
      "Lines of next year's plan derived from drivers: quantity × unit price × cost share (read-only). Y is the planned year, Y-1 the year before; {Y} in an item stands for the planned year.",
    drvProject: "Project",
    drvSeq: "No.",
    drvKind: "Kind",
    drvQuantity: "Quantity",
    drvPrice: "Unit price",
    drvShare: "Share",
    drvReplaces: "Replaces",
    drvFrom: "From year",
    drvNoFormulas: "The selected units have no formulas.",
    drvNoShare: "not shared",
    drvFilter: "Apply",
  },
} satisfies Record<Language, Record<string, string>>;
type LocalKey = keyof (typeof MESSAGES)["zh"];

/** Fills {name} placeholders of a local message. */
function message(language: Language, key: LocalKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The fund levels in English (data values otherwise: 中央, 市级 …). */
const LEVEL_EN: Record<FundLevel, string> = { 中央: "Central", 市级: "City", 区级: "District", 镇级: "Town" };
const APPLIES_EN: Record<string, string> = { 镇: "Towns", 街道: "Subdistricts", 全部: "All" };
const LEVELS: readonly FundLevel[] = ["中央", "市级", "区级", "镇级"];
const KIND_KEY: Record<PlanFormula["kind"], MessageKey> = {
  fundraising: "kindFundraising",
  clearing: "kindClearing",
  overspend: "kindOverspend",
  quantity: "kindQuantity",
};

/**
 * Readable widths for the tables: on a narrow screen (390 px) they scroll inside their box (.table-scroll)
 * instead of squeezing names and documents to a character a line. 1rem = 14px (app.css).
 */
const MIN_WIDTH = { drivers: { minWidth: "72rem" }, shares: { minWidth: "72rem" }, formulas: { minWidth: "80rem" } } as const;
/** Columns of names and documents keep a readable width beside the codes. */
const TEXT_COLUMN = { narrow: { minWidth: "7em" }, wide: { minWidth: "12em" } } as const;

export function meta() {
  return [{ title: "测算因素 · 预算执行监控" }];
}

type FormValues = Record<DriverField | "unit" | "editId" | "version", string>;

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  const db = await database();
  const params = new URL(request.url).searchParams;
  const { unitId, units } = await unitOfQuery(db, user, params);
  const scope = subtreeOf(units, unitId);
  const [drivers, formulas, shares] = await Promise.all([driverValues(db, scope), planFormulas(db, scope), costShares(db)]);
  const order = new Map(units.map((unit, index) => [unit.id, index]));
  const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
  const byUnit = (a: { unitId: number }, b: { unitId: number }) => (order.get(a.unitId) ?? 0) - (order.get(b.unitId) ?? 0);
  const sortedDrivers = [...drivers].sort((a, b) => byUnit(a, b) || a.code.localeCompare(b.code) || a.year - b.year);
  const sortedFormulas = [...formulas].sort((a, b) => byUnit(a, b) || a.projectName.localeCompare(b.projectName) || a.seq - b.seq || a.effectiveFrom - b.effectiveFrom);
  const canEdit = roleAllows(user.roles, "edit-budget");

  // ?edit=ID fills the form with a value to correct; ?add=ID with its unit, code, name and measure for the next year.
  let prefill: FormValues | null = null;
  const editText = params.get("edit");
  const addText = params.get("add");
  if (canEdit && (editText !== null || addText !== null)) {
    const id = recordId(editText ?? addText);
    const driverUnit = id === null ? undefined : await unitOfDriver(db, id);
    if (id === null || driverUnit === undefined) throw data(message(languageOf(request).language, "drvNotFound"), { status: 404 });
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

  return {
    unitId: unitId === user.unitId ? null : unitId,
    ownUnitName: user.unitName,
    unitChoices: units.length > 1 ? unitChoices(units, user.unitId) : [],
    drivers: sortedDrivers.map((d) => ({ ...d, unitName: unitName.get(d.unitId) ?? "" })),
    formulas: sortedFormulas.map((f) => ({ ...f, unitName: unitName.get(f.unitId) ?? "" })),
    shares,
    canEdit,
    /** The units the form offers (the user's subtree), indented by depth; the filter's unit first chosen. */
    editableUnits: canEdit ? units.map((unit) => ({ id: unit.id, label: `${"　".repeat(unit.ancestors.length - Math.min(...units.map((u) => u.ancestors.length)))}${unit.name}` })) : [],
    defaultUnit: String(unitId),
    prefill,
  };
}

type ActionResult = {
  intent: string;
  errors: Partial<Record<DriverField | "unit", string>>;
  submitted: FormValues | null;
  /** A message for the whole form or the table (not found, changed meanwhile). */
  problem: string | null;
  done: string | null;
  stamp: string;
};

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "edit-budget", null);
  const { language } = languageOf(request);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const intent = field("intent");
  const db = await database();
  const actor = { userId: user.id, username: user.username };
  const stamp = String(Date.now());
  const result = (values: Partial<ActionResult>, status = 200) => data<ActionResult>({ intent, errors: {}, submitted: null, problem: null, done: null, stamp, ...values }, { status });

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
  const parsed = parseDriverForm(submitted, language);
  if ("errors" in parsed) return result({ errors: parsed.errors, submitted }, 400);
  const { values } = parsed;
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
  const m = (key: LocalKey, params?: Record<string, string | number>) => message(language, key, params);
  const navigation = useNavigation();
  const location = useLocation();
  const { drivers, formulas, shares, canEdit, prefill, editableUnits } = loaderData;
  const result = actionData as ActionResult | undefined;
  const errors = result?.errors ?? {};
  const values: Partial<FormValues> = result?.submitted ?? prefill ?? {};
  const codesShown = new Set(drivers.map((d) => d.code));
  const level = (l: FundLevel) => (language === "en" ? LEVEL_EN[l] : l);
  const kind = (k: PlanFormula["kind"]) => {
    const text = t(KIND_KEY[k]);
    return language === "en" ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  };
  // Links keep the unit filter: ?unit=…&edit=ID.
  const linkWith = (name: "edit" | "add" | null, id?: number) => {
    const params = new URLSearchParams(location.search);
    params.delete("edit");
    params.delete("add");
    if (name !== null) params.set(name, String(id));
    return `?${params.toString()}#driver-form`;
  };
  // A deletion lands on the page without ?edit/?add (the value it named may be the one deleted).
  const plainParams = new URLSearchParams(location.search);
  plainParams.delete("edit");
  plainParams.delete("add");
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

  const formKey = `${values.editId ?? ""}:${values.code ?? ""}:${result?.done ? result.stamp : ""}`;
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
  const labels: Record<DriverField, string> = {
    year: m("drvYear"),
    code: m("drvCode"),
    name: m("drvName"),
    value: m("drvValue"),
    measure: m("drvMeasure"),
    status: m("drvStatus"),
    document: m("drvDocument"),
    note: t("note"),
  };

  return (
    <>
      <div className="page-title">
        <h1>{m("drvTitle")}</h1>
      </div>
      <p className="muted small">{m("drvHint")}</p>
      {loaderData.unitChoices.length > 0 && (
        <Form method="get" className="filters no-print">
          <UnitFilter ownUnitName={loaderData.ownUnitName} units={loaderData.unitChoices} value={loaderData.unitId ?? ""} />
          <button type="submit">{m("drvFilter")}</button>
        </Form>
      )}
      {result?.done && (
        <p className="form-ok" role="status" data-testid="driver-done">
          {result.done}
        </p>
      )}
      {result?.problem && result.intent !== "save" && (
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
                <th>{m("drvStatus")}</th>
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
              <th style={TEXT_COLUMN.wide}>{m("drvDocument")}</th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s, index) => {
              const first = index === 0 || shares[index - 1]!.code !== s.code;
              return (
                <tr key={s.id} id={first ? `share-${s.code}` : undefined} data-testid="share-row" data-code={s.code}>
                  <td>{first ? <strong className="nowrap">{s.code}</strong> : ""}</td>
                  <td className="num">{s.revision}</td>
                  <td>{s.name}</td>
                  <td>{s.spending}</td>
                  <td>{language === "en" ? (APPLIES_EN[s.appliesTo] ?? s.appliesTo) : s.appliesTo}</td>
                  {LEVELS.map((l) => (
                    <td key={l} className="num">
                      {formatNumber(s.shares[l])}
                    </td>
                  ))}
                  <td className="nowrap">
                    {s.effectiveFrom}
                    {m("drvPeriodJoin")}
                    {s.effectiveTo ?? m("drvOpenEnded")}
                  </td>
                  <td className="small">{s.document}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

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
                <th className="num">{m("drvSeq")}</th>
                <th>{t("composition")}</th>
                <th style={TEXT_COLUMN.narrow}>{t("item")}</th>
                <th>{m("drvKind")}</th>
                <th>{m("drvQuantity")}</th>
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
