import { useState } from "react";
import type { GridApi } from "ag-grid-community";
import { useT } from "../i18n";

/** What a grid shows, for the export: row ids in display order (after filters and sort) and column ids. */
export function displayedState<T>(api: GridApi<T>, rowId: (row: T) => number | string): { ids: Array<number | string>; columns: string[] } {
  const ids: Array<number | string> = [];
  api.forEachNodeAfterFilterAndSort((node) => {
    if (node.data && !node.rowPinned) ids.push(rowId(node.data));
  });
  return { ids, columns: api.getAllDisplayedColumns().map((column) => column.getColId()) };
}

/** A button that posts an export request and downloads the workbook the server writes. */
export function ExportButton({ request, testId }: { request: () => object | null; testId: string }) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    const body = request();
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      const response = await fetch("/export", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${response.status}`);
      const disposition = response.headers.get("Content-Disposition") ?? "";
      const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? "export.xlsx");
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (cause) {
      setError(`${t("error")} ${(cause as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export-button no-print">
      <button type="button" onClick={run} disabled={busy} data-testid={testId}>
        {t("exportXlsx")}
      </button>
      {error && <span className="form-error">{error}</span>}
    </span>
  );
}
