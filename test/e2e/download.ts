import type { Page } from "playwright-core";
import ExcelJS from "exceljs";

/** The first worksheet of a downloaded workbook: its title, header and rows as cell values, and the number formats of a row. */
export async function readDownload(page: Page, click: () => Promise<void>): Promise<{ fileName: string; sheet: string; rows: ExcelJS.CellValue[][]; formats: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const worksheet = workbook.worksheets[0]!;
  const rows: ExcelJS.CellValue[][] = [];
  const formats: string[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row) => {
    const values: ExcelJS.CellValue[] = [];
    const numberFormats: string[] = [];
    for (let column = 1; column <= worksheet.columnCount; column++) {
      values.push(row.getCell(column).value ?? null);
      numberFormats.push(row.getCell(column).numFmt ?? "");
    }
    rows.push(values);
    formats.push(numberFormats);
  });
  return { fileName: download.suggestedFilename(), sheet: worksheet.name, rows, formats };
}
