import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { projectIdOf } from "../support/database.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { signIn } from "./session.ts";
import { formatAmount, money } from "../../domain/money.ts";
import { createUser } from "../../db/users.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const screenshots = path.join(root, "test-results");
const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";
const HEADER = "年度,预算单位,项目名称,项目明细,支付日期,支付方式,人次,金额(元),到期日,退回人次,退回金额,重发日期,备注";

/** Imports a payments CSV through the import page: check, then confirm. */
async function importPayments(page: Page, baseUrl: string, fileName: string, rows: string[]): Promise<void> {
  await page.goto(`${baseUrl}/import`);
  await page.locator("select[name=kind]").selectOption("payments");
  await page.locator("input[name=file]").setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${[HEADER, ...rows].join("\r\n")}\r\n`) });
  await page.getByRole("button", { name: "检查（试运行）" }).click();
  await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("检查通过");
  await page.getByTestId("confirm-import").click();
  await expect.poll(() => page.getByTestId("import-report").locator("h2").textContent()).toContain("已导入");
}

describe.skipIf(!browserAvailable())("in the browser: correcting a payment and undoing an import", () => {
  const app = useSeededApp();
  let baseUrl = "";
  beforeAll(async () => {
    baseUrl = app.baseUrl;
    await mkdir(screenshots, { recursive: true });
  });

  test("a planner corrects an imported payment, cannot then undo its batch, and undoes a second import", async () => {
    const context = await app.signedIn("maqiao.planner");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    try {
      const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2024, "医疗救助");
      const projectPage = `${baseUrl}/projects/${projectId}?asOf=2024-08-31`;
      await page.goto(projectPage);
      const before = (await page.getByTestId("executed").textContent())!;

      // 1. A payment typed one digit too long (88,888.00 for 8,888.00) comes in with a file.
      await importPayments(page, baseUrl, "八月补发.csv", [`2024,${MAQIAO_CENTRE},医疗救助,,2024-08-20,社会化发放,40,"88,888.00",,,,,八月补发`]);
      const wrong = await app.db.selectFrom("payment").select(["id", "import_batch_id"]).where("note", "=", "八月补发").executeTakeFirstOrThrow();
      await page.goto(projectPage);
      expect(await page.getByTestId("executed").textContent()).toContain(figure(before, "88888.00"));

      // 2. 更正 from the payments grid: without a reason the form says so at the field; with one it saves.
      await page.getByTestId(`correct-payment-${wrong.id}`).click();
      await expect.poll(() => page.locator("h1").textContent()).toContain(`更正或冲销支付 #${wrong.id}`);
      expect(await page.getByTestId("payment-summary").textContent()).toContain(`导入批次 #${wrong.import_batch_id}`);
      const correct = page.getByTestId("correct-form");
      await correct.locator("input[name=amount]").fill("8,888.00");
      await correct.locator("input[name=reason]").fill(" ");
      await correct.getByRole("button", { name: "保存更正" }).click();
      await expect.poll(() => correct.locator("[data-field=reason]").textContent()).toBe("必填");
      expect(await correct.locator("input[name=amount]").inputValue()).toBe("8,888.00");
      await page.screenshot({ path: path.join(screenshots, "e2e-corrections-form.png"), fullPage: true });
      await correct.locator("input[name=reason]").fill("金额多录一位");
      await correct.getByRole("button", { name: "保存更正" }).click();
      // Back on the project page as it was left (as of 31 August), with a confirmation in view.
      await page.waitForURL(/\/projects\/\d+\?asOf=2024-08-31&corrected=/);
      expect(await page.getByTestId("correction-notice").textContent()).toContain(`#${wrong.id}`);
      expect(await page.getByTestId("executed").textContent()).toContain(figure(before, "8888.00"));
      await page.getByTestId(`correct-payment-${wrong.id}`).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshots, "e2e-corrections-project.png"), fullPage: true });

      // The history keeps the old amount and the reason.
      await page.goto(`${baseUrl}/projects/${projectId}/history`);
      const corrected = page.getByTestId("history-table").locator("tbody tr", { hasText: `支付 #${wrong.id}` }).first();
      const entry = (await corrected.textContent())!;
      for (const text of ["maqiao.planner", "更正", "金额：88,888.00 → 8,888.00", "更正/冲销原因：金额多录一位"]) expect(entry).toContain(text);

      // 3. 撤销导入 of that file is refused, naming the corrected payment.
      await page.goto(`${baseUrl}/imports`);
      const first = page.getByTestId(`batch-${wrong.import_batch_id}`);
      await first.locator("input[name=reason]").fill("整批有误");
      await first.getByRole("button", { name: "撤销导入" }).click();
      await expect.poll(() => first.getByTestId("undo-blocked").textContent()).toContain(`支付 #${wrong.id}`);
      expect(await first.getByTestId("undo-blocked").textContent()).toContain("2024-08-20，8,888.00 元）导入后已被更正");
      await page.screenshot({ path: path.join(screenshots, "e2e-corrections-blocked.png"), fullPage: true });

      // 4. A second file imported twice over by mistake (a copy with another name): undone, with a reason.
      await importPayments(page, baseUrl, "八月补发（副本）.csv", [`2024,${MAQIAO_CENTRE},医疗救助,,2024-08-21,社会化发放,3,"1,234.56",,,,,八月补发副本`]);
      const copy = await app.db.selectFrom("payment").select("import_batch_id").where("note", "=", "八月补发副本").executeTakeFirstOrThrow();
      await page.goto(projectPage);
      expect(await page.getByTestId("executed").textContent()).toContain(figure(before, "8888.00", "1234.56"));
      await page.goto(`${baseUrl}/imports`);
      const second = page.getByTestId(`batch-${copy.import_batch_id}`);
      expect(await second.textContent()).toContain("八月补发（副本）.csv");
      await second.getByRole("button", { name: "撤销导入" }).click();
      await expect.poll(() => second.locator("[data-field=reason]").textContent()).toBe("必填");
      await second.locator("input[name=reason]").fill("副本重复导入");
      await second.getByRole("button", { name: "撤销导入" }).click();
      await expect.poll(() => page.getByTestId("undone-notice").textContent()).toContain(`已撤销导入批次 #${copy.import_batch_id}`);
      await expect.poll(() => second.getByTestId("batch-undone").textContent()).toContain("副本重复导入");
      await page.screenshot({ path: path.join(screenshots, "e2e-corrections-imports.png"), fullPage: true });
      // The project's figures follow at once; its history names the undo.
      await page.goto(projectPage);
      expect(await page.getByTestId("executed").textContent()).toContain(figure(before, "8888.00"));
      await page.goto(`${baseUrl}/projects/${projectId}/history`);
      const undone = (await page.getByTestId("history-table").locator("tbody tr", { hasText: "撤销导入" }).first().textContent())!;
      for (const text of ["maqiao.planner", `导入批次 #${copy.import_batch_id}`, "已导入 → 已撤销", "撤销原因：副本重复导入"]) expect(undone).toContain(text);
      // The English interface shows the same in English (names and reasons as typed).
      await page.goto(`${baseUrl}/imports?lang=en`);
      const english = (await page.getByTestId(`batch-${copy.import_batch_id}`).textContent())!;
      for (const text of ["Payments", "Undone", "Reason for undoing", "副本重复导入"]) expect(english).toContain(text);
      await page.goto(`${baseUrl}/projects/${projectId}/payments/${wrong.id}/correct?lang=en`);
      expect(await page.locator("h1").textContent()).toContain(`Correct or reverse a payment #${wrong.id}`);
      expect(await page.getByTestId("payment-summary").textContent()).toContain("Last correction's reason: 金额多录一位");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("a manager of another unit and a viewer cannot undo the planner's import (403); nothing changes", async () => {
    const batch = await app.db.selectFrom("import_batch").select("id").where("undone_at", "is", null).orderBy("id").executeTakeFirstOrThrow();
    // A manager of 宝山区医疗保障局: a role that may undo, outside 马桥's units.
    const baoshan = await app.db.selectFrom("org_unit").select("id").where("name", "=", "上海市宝山区医疗保障局").executeTakeFirstOrThrow();
    await createUser(app.db, { username: "baoshan.manager", displayName: "宝山管理", unitId: baoshan.id, roles: ["manager"], password: "baoshan-manager-2024" });
    const login = await fetch(`${baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "baoshan.manager", password: "baoshan-manager-2024", next: "/" }),
    });
    const cookies = { "baoshan.manager": login.headers.get("set-cookie")!.split(";")[0]!, "minhang.viewer": await signIn(baseUrl, "minhang.viewer") };
    for (const [user, cookie] of Object.entries(cookies)) {
      const response = await fetch(`${baseUrl}/imports`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ batchId: String(batch.id), reason: "试图撤销" }),
      });
      expect(response.status, user).toBe(403);
    }
    // 宝山's manager does not even see the batch in 导入记录; 闵行区's viewer does (马桥 is within 闵行区).
    for (const [user, shown] of [["baoshan.manager", false], ["minhang.viewer", true]] as const) {
      const list = await fetch(`${baseUrl}/imports`, { headers: { Cookie: cookies[user] } });
      expect((await list.text()).includes(`data-testid="batch-${batch.id}"`), user).toBe(shown);
    }
    const still = await app.db.selectFrom("import_batch").select("undone_at").where("id", "=", batch.id).executeTakeFirstOrThrow();
    expect(still.undone_at).toBeNull();
  });

  test("a save refused because the payment changed meanwhile shows what is stored now, and the next save from that form goes through", async () => {
    const context = await app.signedIn("maqiao.planner");
    const errors: string[] = [];
    try {
      const [first, second] = [await context.newPage(), await context.newPage()];
      for (const page of [first, second]) page.on("pageerror", (error) => errors.push(error.message));
      const projectId = await projectIdOf(app.db, MAQIAO_CENTRE, 2024, "医疗救助");
      const payment = await app.db
        .selectFrom("payment")
        .select(["id", "amount", "version", "kind"])
        .where("project_id", "=", projectId)
        .where("reverses_payment_id", "is", null)
        // A payment of the demo data (imported by the seed), not one this suite imports and undoes.
        .where("import_batch_id", "in", app.db.selectFrom("import_batch").select("id").where("file_name", "=", "演示数据 支付明细"))
        .where("paid_on", "<=", "2024-08-31")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      const [mine, theirs] = [money(payment.amount).plus(100).toFixed(2), money(payment.amount).plus(200).toFixed(2)];
      // The same planner opens the correction page twice, from the project page as of 31 August.
      const correctPage = `${baseUrl}/projects/${projectId}/payments/${payment.id}/correct?asOf=2024-08-31`;
      for (const page of [first, second]) await page.goto(correctPage);

      // The first tab saves; back on the project page as it was left, saying what was done.
      await first.getByTestId("correct-form").locator("input[name=amount]").fill(theirs);
      await first.getByTestId("correct-form").locator("input[name=reason]").fill("第一个窗口的更正");
      await first.getByTestId("correct-form").getByRole("button", { name: "保存更正" }).click();
      await first.waitForURL(/\/projects\/\d+\?asOf=2024-08-31&corrected=/);
      expect(await first.getByTestId("correction-notice").textContent()).toBe(`已更正支付 #${payment.id}。`);
      expect(await first.locator("input[name=asOf]").inputValue()).toBe("2024-08-31");

      // The second tab, still on the old version: refused, naming the change and who made it, in neutral words.
      const form = second.getByTestId("correct-form");
      await form.locator("input[name=amount]").fill(mine);
      await form.locator("input[name=reason]").fill("第二个窗口的更正");
      await form.getByRole("button", { name: "保存更正" }).click();
      const conflict = second.getByTestId("conflict");
      await expect.poll(() => conflict.textContent()).toContain("maqiao.planner");
      const said = (await conflict.textContent())!;
      expect(said).toContain(`金额 ${formatAmount(payment.amount)} → ${formatAmount(theirs)}`);
      expect(said).not.toContain("他人");
      // The form now shows what is stored, and its version: what was typed is listed under the field, the reason kept.
      await expect.poll(() => form.locator("input[name=amount]").inputValue()).toBe(theirs);
      expect(await form.locator("input[name=version]").inputValue()).toBe(String(payment.version + 1));
      expect(await second.getByTestId("payment-summary").textContent()).toContain(formatAmount(theirs));
      expect(await form.locator(".field-mine").textContent()).toBe(`您的输入：${mine}`);
      expect(await form.locator("input[name=reason]").inputValue()).toBe("第二个窗口的更正");
      await second.screenshot({ path: path.join(screenshots, "e2e-corrections-conflict.png"), fullPage: true });

      // Saved again from the same form, with the amount re-entered: it goes through.
      await form.locator("input[name=amount]").fill(mine);
      await form.getByRole("button", { name: "保存更正" }).click();
      await second.waitForURL(/\/projects\/\d+\?asOf=2024-08-31&corrected=/);
      const stored = await app.db.selectFrom("payment").select(["amount", "version", "correction_reason"]).where("id", "=", payment.id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ amount: mine, version: payment.version + 2, correction_reason: "第二个窗口的更正" });

      // 冲销 comes back the same way.
      await second.goto(correctPage);
      await second.getByTestId("reverse-form").locator("input[name=reversedOn]").fill("2024-12-30");
      await second.getByTestId("reverse-form").locator("input[name=reason]").fill("重复支付");
      await second.getByTestId("reverse-form").getByRole("button", { name: "冲销本笔支付" }).click();
      await second.waitForURL(/\/projects\/\d+\?asOf=2024-08-31&reversed=/);
      const reversal = await app.db.selectFrom("payment").select("id").where("reverses_payment_id", "=", payment.id).executeTakeFirstOrThrow();
      expect(await second.getByTestId("correction-notice").textContent()).toBe(`已冲销支付 #${payment.id}（冲销记录 #${reversal.id}）。`);

      // A payment that does not exist is not found as a payment.
      const missing = await second.goto(`${baseUrl}/projects/${projectId}/payments/99999999/correct`);
      expect(missing!.status()).toBe(404);
      expect(await second.locator("main").textContent()).toContain("未找到该支付");

      // 变更记录 names kinds and amounts as the pages do; in English, in English (reasons as typed).
      await second.goto(`${baseUrl}/projects/${projectId}/history`);
      const row = (table: Locator, record: string) => table.locator("tbody tr", { hasText: new RegExp(`${record}(?!\\d)`) }).first();
      const reversed = (await row(second.getByTestId("history-table"), `支付 #${reversal.id}`).textContent())!;
      for (const text of ["冲销", `金额：-${formatAmount(mine)}`, `支付方式：${payment.kind === "batch" ? "社会化发放" : "划拨"}`, "更正/冲销原因：重复支付"]) expect(reversed).toContain(text);
      await second.goto(`${baseUrl}/projects/${projectId}/history?lang=en`);
      const table = second.getByTestId("history-table");
      const english = (await row(table, `Payment #${reversal.id}`).textContent())!;
      for (const text of ["Reversal", `Amount: -${formatAmount(mine)}`, `Kind: ${payment.kind === "batch" ? "Batch to individuals" : "Transfer"}`, "Reason for correction/reversal: 重复支付"]) {
        expect(english).toContain(text);
      }
      const corrected = (await row(table, `Payment #${payment.id}`).textContent())!;
      expect(corrected).toContain(`Amount: ${formatAmount(theirs)} → ${formatAmount(mine)}`);
      const undone = table.locator("tbody tr", { hasText: "Undo import" }).first();
      const undoText = (await undone.textContent())!;
      for (const text of ["Undo import", "Status: Imported → Undone", "File: 八月补发（副本）.csv", "Rows: 1", "Amount: 1,234.56", "Reason for undoing: 副本重复导入"]) expect(undoText).toContain(text);
      // Nothing Chinese but data: actions, records and field names in English.
      for (const entry of [row(table, `Payment #${reversal.id}`), row(table, `Payment #${payment.id}`), undone]) {
        const cells = entry.locator("td");
        const words = [await cells.nth(2).textContent(), await cells.nth(3).textContent(), ...(await cells.nth(4).locator("div").allTextContents()).map((line) => line.split(": ")[0])];
        for (const word of words) expect(word).not.toMatch(/[\u3400-\u9fff]/);
      }
      await second.screenshot({ path: path.join(screenshots, "e2e-corrections-history-en.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("an administrator finds 导入记录 in the menu", async () => {
    const context = await app.signedIn("admin");
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/`);
      await page.getByTestId("imports-link").click();
      await page.waitForURL((url) => url.pathname === "/imports");
      await expect.poll(() => page.locator("h1").textContent()).toBe("导入记录");
    } finally {
      await context.close();
    }
  });
});

/** The executed figure as the page shows it after adding amounts to the one shown before: figure("1,000.00", "5.00") → "1,005.00". */
function figure(shown: string, ...added: string[]): string {
  const value = /-?[\d,]+\.\d\d/.exec(shown)![0].replace(/,/g, "");
  const total = added.reduce((sum, amount) => sum.plus(amount), money(value)).toFixed(2);
  return total.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
