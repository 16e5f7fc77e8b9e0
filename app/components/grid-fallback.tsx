import { createElement, type ReactNode } from "react";
import type { ColDef, ColGroupDef } from "ag-grid-community";
import { useT } from "../i18n";

type Column<TData> = ColDef<TData> | ColGroupDef<TData>;

/** The columns a grid shows, left to right: groups opened, hidden ones left out. */
function shownColumns<TData>(columns: readonly Column<TData>[] | null | undefined): ColDef<TData>[] {
  return (columns ?? []).flatMap((column) =>
    "children" in column && column.children ? shownColumns(column.children) : (column as ColDef<TData>).hide ? [] : [column as ColDef<TData>],
  );
}

/**
 * A cell as the grid shows it, from the same column definition: its renderer (links), else its formatted value,
 * else the value as text. The definitions are written for ag-grid, which passes more than data and value: one
 * that reaches for more shows an empty cell here rather than failing the page.
 */
function cellOf<TData>(column: ColDef<TData>, data: TData): ReactNode {
  try {
    const base = { data, colDef: column, node: null, column: null, api: null, context: undefined };
    const value = typeof column.valueGetter === "function" ? column.valueGetter(base as never) : column.field ? (data as Record<string, unknown>)[column.field] : undefined;
    const params = { ...base, value };
    if (typeof column.cellRenderer === "function") return createElement(column.cellRenderer as (props: typeof params) => ReactNode, params);
    if (typeof column.valueFormatter === "function") return column.valueFormatter(params as never);
    return value === null || value === undefined ? "" : String(value);
  } catch {
    return "";
  }
}

const numeric = (column: ColDef<unknown>) => {
  const type = column.type;
  return type === "rightAligned" || type === "numericColumn" || (Array.isArray(type) && (type.includes("rightAligned") || type.includes("numericColumn")));
};

/**
 * What a grid shows before the browser has drawn it, and all that a browser without JavaScript shows: "加载中…"
 * while the script loads (hidden where scripting is off, app.css), and, for a browser without JavaScript, the
 * grid's rows as a plain table from the same column definitions (pinned rows below), links included — or,
 * where the rows only come with the script (`unavailable`), that the table needs it.
 * <GridFallback columns={columns} rows={rows} pinnedBottom={[total]} testId="lines-table" />
 */
export function GridFallback<TData>({
  columns,
  rows,
  pinnedBottom = [],
  testId,
  unavailable = false,
}: {
  columns: readonly Column<TData>[];
  rows: readonly TData[];
  pinnedBottom?: readonly TData[];
  testId: string;
  unavailable?: boolean;
}) {
  const { t } = useT();
  const shown = shownColumns(columns);
  const row = (data: TData, key: number) => (
    <tr key={key}>
      {shown.map((column, i) => (
        <td key={i} className={numeric(column as ColDef<unknown>) ? "num" : undefined}>
          {cellOf(column, data)}
        </td>
      ))}
    </tr>
  );
  return (
    <>
      <p className="muted js-loading">{t("loading")}</p>
      <noscript>
        {unavailable ? (
          <p className="notice" data-testid={`${testId}-needs-script`}>
            {t("gridNeedsScript")}
          </p>
        ) : (
          <div className="static-grid" data-testid={`${testId}-static`}>
            <table className="data-table">
              <thead>
                <tr>
                  {shown.map((column, i) => (
                    <th key={i} title={typeof column.headerTooltip === "string" ? column.headerTooltip : undefined} className={numeric(column as ColDef<unknown>) ? "num" : undefined}>
                      {column.headerName ?? ""}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>{rows.map(row)}</tbody>
              {pinnedBottom.length > 0 && <tfoot>{pinnedBottom.map(row)}</tfoot>}
            </table>
          </div>
        )}
      </noscript>
    </>
  );
}
