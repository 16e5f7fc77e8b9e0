import type { UnitWithPath } from "../../db/units";
import { msg, useT } from "../i18n";

/** A unit the filter offers: its name indented by its depth below the user's own unit. */
export interface UnitChoice {
  id: number;
  label: string;
}

/** The units below the user's own (`units` is the user's subtree), indented by depth, for <UnitFilter>. */
export function unitChoices(units: readonly UnitWithPath[], ownUnitId: number): UnitChoice[] {
  const topLevel = Math.min(...units.map((unit) => unit.ancestors.length));
  return units.filter((unit) => unit.id !== ownUnitId).map((unit) => ({ id: unit.id, label: `${"　".repeat(unit.ancestors.length - topLevel)}${unit.name}` }));
}

/** The 单位 filter of a GET form: the user's own unit (all its units) or one below it. */
export function UnitFilter({ ownUnitName, units, value }: { ownUnitName: string; units: readonly UnitChoice[]; value: string | number }) {
  const { t, m } = useT();
  return (
    <label>
      {t("unit")}
      <select name="unit" defaultValue={value}>
        <option value="">
          {m(msg("unitWithAll", { unit: ownUnitName }))}
        </option>
        {units.map((unit) => (
          <option key={unit.id} value={unit.id}>
            {unit.label}
          </option>
        ))}
      </select>
    </label>
  );
}
