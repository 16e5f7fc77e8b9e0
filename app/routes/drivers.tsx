import { Form, Link, useLocation, useNavigation } from "react-router";
import type { Route } from "./+types/drivers";
import { DRIVER_FIELDS, formatDriverValue, type DriverField } from "../../domain/driver-form";
import { APPLIES_TO, SHARE_LEVELS, type CostShareErrorField, type CostShareField } from "../../domain/cost-share-form";
import type { FundLevel } from "../../domain/plan-formulas";
import { formatNumber } from "../../domain/money";
import { UnitFilter, unitChoices } from "../components/unit-filter";
import { fill, useT, type MessageKey } from "../i18n";
import { pageTitle } from "../route-title";
import { appliesToName, DRIVER_FIELD_KEY, levelName } from "../drivers-messages";
import { FormulasSection, MIN_WIDTH, TEXT_COLUMN } from "../components/drivers-formulas";
import { driversAction, driversLoader, type ActionResult, type FormValues, type ShareValues } from "../drivers.server";

/*
 * 测算因素 (/drivers): the drivers of zero-based planning (participants, the per-capita overspend…) of the
 * user's units, which planners of a unit enter and correct (audited); the cost shares (分担比例), to which
 * administrators and planners of the owning unit or a unit above it add versions (as /standards does for
 * the expenditure standards); and the formulas (测算公式) that turn them into planned lines, read-only.
 * The plan links to /drivers#CODE and /drivers#share-CODE.
 */

const LEVELS: readonly FundLevel[] = SHARE_LEVELS.map((l) => l.level);

/** The four percents of the cost share form, side by side under their legend. */
const PERCENT_GROUP = { display: "flex", flexWrap: "wrap", alignItems: "end", gap: 12, border: "1px solid var(--line)", padding: "4px 8px 8px", margin: 0 } as const;

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "drvTitle") }];
}

export async function loader(args: Route.LoaderArgs) {
  return driversLoader(args);
}

export async function action(args: Route.ActionArgs) {
  return driversAction(args);
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

      <FormulasSection formulas={formulas} shown={codesShown} />
    </>
  );
}
