import http from "node:http";
import { beforeAll, describe, expect, test } from "vitest";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { dataRows, readGridRows } from "./grid.ts";
import { signIn } from "./session.ts";
import { encodeGb18030 } from "../support/gb18030.ts";
import { translate } from "../../messages/index.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";
const HEADER = "年度,预算单位,项目名称,项目明细,支付日期,支付方式,人次,金额(元),到期日,退回人次,退回金额,重发日期,备注";

/** A Chinese-locale CSV as Excel writes it: GB18030, CRLF, quoted amounts with thousands separators. */
function gb18030Csv(rows: string[]): Buffer {
  return encodeGb18030([HEADER, ...rows].join("\r\n") + "\r\n");
}

describe.skipIf(!browserAvailable())("in the browser: importing payments", () => {
  const app = useSeededApp();
  let baseUrl = "";
  beforeAll(() => {
    baseUrl = app.baseUrl;
  });

  test("a chunked upload without Content-Length is cut off at the 32 MB limit while it streams, with a clear message", async () => {
    const cookie = await signIn(baseUrl, "maqiao.planner");
    const boundary = "----budget-monitor-test";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npayments\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="endless.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\r\n`,
    );
    const filler = Buffer.alloc(64 * 1024, "2025,x,y,,2025-01-01,划拨,1,1.00,,,,,\r\n");
    // An upload that never ends: if the server read the body whole before checking its size, no
    // answer would ever come. It must answer 413 once the limit (32 MB and 1 MB for the form) is passed.
    const { status, body, sent } = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const request = http.request(`${baseUrl}/import`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked" },
      });
      request.on("response", (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), sent });
          request.destroy();
        });
      });
      request.on("error", (error) => (answered ? undefined : reject(error)));
      const pump = () => {
        while (!answered && sent < 200 * 1024 * 1024) {
          sent += filler.length;
          if (!request.write(filler)) return void request.once("drain", pump);
        }
        if (!answered) reject(new Error(`no answer after ${sent} bytes`));
      };
      request.write(head);
      pump();
    });
    expect(status).toBe(413);
    expect(body).toContain("文件过大：上传的内容超过 32 MB 上限，已停止接收（未导入任何行）");
    expect(sent).toBeLessThan(48 * 1024 * 1024);
  });

  test("upload, see the dry run with an error, fix the file, import, and see the dashboard move", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      const dashboard = `${baseUrl}/?year=2025&asOf=2025-12-31`;
      const rows = [
        `2025,${MAQIAO_CENTRE},医疗救助,,2025/1/10,社会化发放,80,"30,000.00",,,,,一月第一批`,
        `2025,${MAQIAO_CENTRE},医疗救助,,2025-02-30,社会化发放,60,"20,000.50",,,,,二月第一批`,
      ];
      // First the 2025 project, from a budget-lines file in 万元 (the importer may create projects).
      await page.goto(`${baseUrl}/import`);
      await page.locator("select[name=kind]").selectOption("budget-lines");
      await page.locator("input[name=file]").setInputFiles({
        name: "马桥2025预算.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(`\uFEFF年度,预算单位,项目名称,项目构成,项目明细,资金级次,资金类型,年初预算(万元),单价,数量,依据,安排月份\r\n2025,${MAQIAO_CENTRE},医疗救助,医疗救助,市级政策门急诊救助,镇级,当年财政拨款,27,180,1500,沪医保规〔2022〕12号,1-12\r\n`),
      });
      await page.getByRole("button", { name: "检查（试运行）" }).click();
      await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("检查通过");
      expect(await page.getByTestId("import-report").textContent()).toContain("2025 上海市闵行区马桥镇社区事务受理服务中心 医疗救助");
      await page.getByTestId("confirm-import").click();
      await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("已导入");

      // The payments file as Excel on Chinese Windows writes it, with an impossible date in row 3.
      await page.goto(`${baseUrl}/import`);
      await page.locator("select[name=kind]").selectOption("payments");
      await page.locator("input[name=file]").setInputFiles({ name: "支付明细.csv", mimeType: "text/csv", buffer: gb18030Csv(rows) });
      await page.getByRole("button", { name: "检查（试运行）" }).click();
      await expect.poll(() => page.getByTestId("import-errors").textContent()).toContain("第3行 “支付日期”列：日期不存在：2025-02-30");
      expect(await page.getByTestId("import-report").locator("h2").textContent()).toContain("有错误，未导入任何行");
      expect(await page.getByTestId("confirm-import").count()).toBe(0);
      const grid = page.getByTestId("import-rows-grid");
      await grid.locator(".ag-row").first().waitFor();
      const statuses = dataRows(await readGridRows(grid)).map((row) => [row.cells.rowNumber, row.cells.status]);
      expect(statuses).toEqual([
        ["2", "新增"],
        ["3", "错误"],
      ]);
      // Each readable row names its 年度: two years of the same line would otherwise look alike.
      expect((await readGridRows(grid)).find((row) => row.cells.rowNumber === "2")?.cells.year).toBe("2025");

      // Fixed file: the dry run passes; confirm; the dashboard shows the new figure.
      await page.locator("input[name=file]").setInputFiles({ name: "支付明细.csv", mimeType: "text/csv", buffer: gb18030Csv([rows[0]!, rows[1]!.replace("2025-02-30", "2025-02-28")]) });
      await page.getByRole("button", { name: "检查（试运行）" }).click();
      await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("检查通过");
      await page.getByTestId("confirm-import").click();
      await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("已导入");
      expect(await page.getByTestId("import-summary").textContent()).toContain("新增 2");

      await page.goto(dashboard);
      await expect.poll(() => page.getByTestId("total-executed").textContent()).toBe("50,000.50");
      expect(await page.getByTestId("total-adjusted").textContent()).toBe("270,000.00");
      expect(await page.getByTestId("total-rate").textContent()).toBe("18.52%");

      // The project's history names the import once, with its file, rows and amount (not one entry per payment).
      const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2025, "医疗救助");
      await page.goto(`${baseUrl}/projects/${projectId}/history`);
      const history = page.getByTestId("history-table");
      const imported = history.locator("tbody tr", { hasText: "导入批次" });
      await expect.poll(() => imported.count()).toBe(1);
      const entry = await imported.textContent();
      for (const text of ["maqiao.planner", "新增", "文件名：支付明细.csv", "行数：2", "金额：50,000.50"]) expect(entry).toContain(text);
      expect(await history.locator("tbody tr", { hasText: "支付 #" }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("in the English interface, the dry run's errors, statuses and kinds are in English; names stay as written", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/import?lang=en`);
      expect(await page.locator("select[name=kind] option").allTextContents()).toContain(translate("en", "impKindPayments"));
      await page.locator("select[name=kind]").selectOption("payments");
      const rows = [`2024,不存在的中心,医疗救助,,2024/9/2,社会化发放,1,"1,000.00",,,,,`, `2024,${MAQIAO_CENTRE},医疗救助,,2024-02-30,划拨,1,10.00,,,,,`];
      await page.locator("input[name=file]").setInputFiles({ name: "payments.csv", mimeType: "text/csv", buffer: gb18030Csv(rows) });
      await page.locator("[data-testid=import-form] button[type=submit]").click();
      const errors = page.getByTestId("import-errors");
      await expect.poll(() => errors.textContent()).toContain("row 2, column “unit”: unit “不存在的中心” does not exist or you may not import into it");
      expect(await errors.textContent()).toContain("row 3, column “payment date”: no such date: “2024-02-30”");
      const grid = page.getByTestId("import-rows-grid");
      await grid.locator(".ag-row").first().waitFor();
      const cells = dataRows(await readGridRows(grid)).map((row) => [row.cells.status, row.cells.message]);
      expect(cells).toEqual([
        ["error", "unit “不存在的中心” does not exist or you may not import into it"],
        ["error", "payment date: no such date: “2024-02-30”"],
      ]);
    } finally {
      await context.close();
    }
  });

  test("the exported ledger workbook is checked from its 支付明细 sheet; a file-wide error has no stray prefix", async () => {
    const cookie = await signIn(baseUrl, "maqiao.planner");
    const projectId = await projectIdOf(app.db, MAQIAO_CENTRE);
    const exported = await fetch(`${baseUrl}/projects/${projectId}/export.xlsx?asOf=2024-12-31`, { headers: { Cookie: cookie } });
    expect(exported.status).toBe(200);
    const workbook = Buffer.from(await exported.arrayBuffer());
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      await page.goto(`${baseUrl}/import`);
      await page.locator("select[name=kind]").selectOption("payments");
      await page.locator("input[name=file]").setInputFiles({ name: "马桥医疗救助台账.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: workbook });
      await page.getByRole("button", { name: "检查（试运行）" }).click();
      await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("检查通过");
      expect(await page.getByTestId("import-summary").textContent()).toContain("已存在 33");
      expect(await page.getByTestId("import-warnings").textContent()).toContain("已读取工作表“支付明细”");

      await page.locator("input[name=file]").setInputFiles({ name: "空表.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${HEADER}\r\n,,,,\r\n`) });
      await page.getByRole("button", { name: "检查（试运行）" }).click();
      await expect.poll(() => page.getByTestId("import-errors").textContent()).toBe("文件中没有数据行");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  // Last in this file: it adds a payment to 马桥's 2024 project, which the ledger test above exports.
  test("a payment larger than the project's budget for the year is shown apart and imported only once the user ticks that they checked it", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      // Issue 11 §5: one 社会化发放 of 50,000,000.00 元 for 1 人次 (马桥's 2024 adjusted budget is 1,471,745.31).
      const rows = [`2024,${MAQIAO_CENTRE},医疗救助,,2024/6/15,社会化发放,1,"50,000,000.00",,,,,一人次`];
      await page.goto(`${baseUrl}/import`);
      await page.locator("select[name=kind]").selectOption("payments");
      await page.locator("input[name=file]").setInputFiles({ name: "马桥超预算.csv", mimeType: "text/csv", buffer: gb18030Csv(rows) });
      await page.getByRole("button", { name: "检查（试运行）" }).click();
      const warning = page.getByTestId("over-budget-warning");
      await expect.poll(() => warning.textContent()).toContain("单笔支付超过项目全年预算");
      expect(await warning.textContent()).toContain(`第2行：${MAQIAO_CENTRE} 医疗救助（2024年）支付 50,000,000.00 元，超过调整后预算 1,471,745.31 元`);
      expect(await page.getByTestId("import-report").locator("h2").textContent()).toContain("检查通过");
      const checkbox = page.getByTestId("over-budget-acknowledge");
      expect(await checkbox.textContent()).toContain("本人已核对上述支付，确认不属于元/万元混淆");

      // Without the tick the browser does not send the form …
      await page.getByTestId("confirm-import").click();
      await page.waitForTimeout(500);
      expect(await page.getByTestId("import-report").locator("h2").textContent()).toContain("检查通过");
      expect(await checkbox.locator("input").evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(true);
      // … and the server refuses a commit without it, whatever sends it.
      const form = new FormData();
      for (const name of ["kind", "hash", "fileName", "intent"]) form.set(name, await page.locator(`[data-testid=import-report] input[name=${name}]`).inputValue());
      const cookie = await signIn(baseUrl, "maqiao.planner");
      const direct = await fetch(`${baseUrl}/import`, { method: "POST", headers: { Cookie: cookie, Origin: baseUrl }, body: form });
      expect(direct.status).toBe(422);
      expect(await direct.text()).toContain("未导入：有支付超过其项目全年预算，须勾选核对确认后方可导入");
      const projectId = await projectIdOf(app.db, MAQIAO_CENTRE);
      const count = async () => (await app.db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).where("project_id", "=", projectId).executeTakeFirstOrThrow()).n;
      const before = await count();

      // Ticked: imported, and the confirmation is in the project's history.
      await checkbox.locator("input").check();
      await page.getByTestId("confirm-import").click();
      await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("已导入");
      expect(Number(await count())).toBe(Number(before) + 1);
      await page.goto(`${baseUrl}/projects/${projectId}/history`);
      const entry = await page.getByTestId("history-table").locator("tbody tr", { hasText: "已确认超预算支付" }).textContent();
      for (const text of ["maqiao.planner", "文件名：马桥超预算.csv", "备注：第2行 50,000,000.00 元（2024 年调整后预算 1,471,745.31 元）"]) expect(entry).toContain(text);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("in English, the over-budget warning and its confirmation are in English", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/import?lang=en`);
      await page.locator("select[name=kind]").selectOption("payments");
      const rows = [`2024,${MAQIAO_CENTRE},医疗救助,,2024/6/16,社会化发放,1,"60,000,000.00",,,,,`];
      await page.locator("input[name=file]").setInputFiles({ name: "over.csv", mimeType: "text/csv", buffer: gb18030Csv(rows) });
      await page.locator("[data-testid=import-form] button[type=submit]").click();
      const warning = page.getByTestId("over-budget-warning");
      await expect.poll(() => warning.textContent()).toContain(`Row 2: ${MAQIAO_CENTRE} 医疗救助 (2024): payment of 60,000,000.00 yuan exceeds the adjusted budget of 1,471,745.31 yuan`);
      const acknowledge = (await page.getByTestId("over-budget-acknowledge").textContent()) ?? "";
      expect(acknowledge).toContain("I have checked these payments: they are not yuan / 10,000-yuan slips");
      expect(acknowledge).not.toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await context.close();
    }
  });
});
