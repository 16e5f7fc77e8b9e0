import { data } from "react-router";
import type { Route } from "./+types/import-template";
import { COLUMNS, IMPORT_KINDS, templateHeaders, type ImportKind } from "../../features/import/rules/columns";
import { writeWorkbook } from "../../files/write-xlsx";
import { currentUser } from "../guard.server";

/** The import templates: the kind's Chinese headers and one example row, as XLSX or CSV (UTF-8 with BOM, as Excel reads it). */
export async function loader({ params, context }: Route.LoaderArgs) {
  currentUser(context);
  const match = /^([a-z-]+)\.(xlsx|csv)$/.exec(params.file);
  const kind = match?.[1] as ImportKind | undefined;
  if (!match || !kind || !IMPORT_KINDS.includes(kind)) throw data("没有这个模板 No such template", { status: 404 });
  const headers = templateHeaders(kind);
  const example = COLUMNS[kind].map((spec) => spec.example);
  const fileName = `${kind}-template.${match[2]}`;
  if (match[2] === "csv") {
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
    const text = `\uFEFF${headers.map(quote).join(",")}\r\n${example.map(quote).join(",")}\r\n`;
    return new Response(text, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${fileName}"` },
    });
  }
  const workbook = await writeWorkbook([
    {
      name: "导入模板",
      columns: COLUMNS[kind].map((spec, index) => ({ header: headers[index]!, key: spec.key, kind: "text" as const, width: Math.max(10, headers[index]!.length * 2 + 4) })),
      rows: [Object.fromEntries(COLUMNS[kind].map((spec) => [spec.key, spec.example]))],
    },
  ]);
  return new Response(new Uint8Array(workbook), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}"`,
    },
  });
}
