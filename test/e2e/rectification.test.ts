import { beforeAll, describe, expect, test } from "vitest";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { projectIdOf } from "../support/database.ts";
import { getProjectHeader } from "../../db/projects.ts";
import { isTargetParseError, parseTarget } from "../../domain/targets.ts";
import { acceptSelfEvaluation, loadSelfEvaluation, submitSelfEvaluation, type SelfEvaluationActor, type SelfEvaluationEntry } from "../../features/self-evaluation/service.ts";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const screenshots = path.join(root, "test-results");
const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
/** The two rows of 马桥's 2024 医疗救助 seeds/001's evaluators judged 部分达成 (表3-3-3, 3-3-4): scored below their weights. */
const SHORT: Record<string, string> = {
  救助资金发放及时性: "偏差原因：两笔资金划拨逾期。改进措施：精简审批流程，试行分级授权。",
  沟通协调有效性: "偏差原因：部门内部协作效能不足。改进措施：应用电子签章。",
};

/** Waits until React Router has hydrated the page (a click on a form still being hydrated can be lost). */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean((window as unknown as { __reactRouterDataRouter?: { state: { initialized: boolean } } }).__reactRouterDataRouter?.state.initialized));
}

/**
 * 整改台账 in the browser: an accepted self-evaluation's 改进措施 (below the weight) become rectification items,
 * listed on /rectification and closed there with evidence (refused without it, at the field); next year's
 * plan shows them and its adoption asks for a response to each open one (refused at the field without).
 * The tests' seed has no filed forms: 马桥's 2024 医疗救助 sheet is filed and accepted through the service.
 */
/** Polls until `read` finds the row (the form's post lands after the click returns). */
async function waitForRow<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const row = await read();
    if (row !== undefined) return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the row never appeared");
}

describe.skipIf(!browserAvailable())("in the browser: rectification items (整改台账) and the plan's responses", () => {
  const app = useSeededApp();
  let projectId = 0;
  let items: Array<{ id: number; indicator: string }> = [];

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    projectId = await projectIdOf(app.db, MAQIAO, 2024);
    const project = (await getProjectHeader(app.db, projectId))!;
    const blank = (await loadSelfEvaluation(app.db, projectId))!;
    const entries: Record<string, Partial<SelfEvaluationEntry>> = {};
    for (const row of blank.rows) {
      const target = parseTarget(row.annualTarget);
      if (isTargetParseError(target)) throw new Error(row.annualTarget);
      if (row.name in SHORT) entries[row.key] = { judgement: "部分达成", deviationAnalysis: SHORT[row.name] };
      else entries[row.key] = target.kind === "qualitative" ? { judgement: "达成" } : { actual: `${target.value}${target.unit === "" ? "" : `(${target.unit})`}` };
    }
    const submitter: SelfEvaluationActor = { userId: null, username: "test.submitter", roles: ["submitter"], unitSubtree: null };
    const manager: SelfEvaluationActor = { userId: null, username: "test.manager", roles: ["manager"], unitSubtree: null };
    const submitted = await submitSelfEvaluation(app.db, submitter, { project, evaluationId: null, version: null, content: { actualSummary: "全年救助1,896人次，资金足额准确发放。", indicators: entries } });
    expect(submitted.kind, JSON.stringify(submitted)).toBe("done");
    const accepted = await acceptSelfEvaluation(app.db, manager, { project, evaluationId: submitted.kind === "done" ? submitted.evaluationId : null, comment: "" });
    expect(accepted.kind, JSON.stringify(accepted)).toBe("done");
    items = await app.db.selectFrom("rectification_item").select(["id", "indicator"]).where("project_id", "=", projectId).orderBy("source_row").execute();
    expect(items.map((item) => item.indicator)).toEqual(Object.keys(SHORT));
  }, 120_000);

  test("the item is listed on /rectification; closing it without evidence is refused at the field, with evidence it is done", async () => {
    const context = await app.signedIn("minhang.manager", { width: 1366, height: 768 });
    const page = await context.newPage();
    try {
      const item = items[0]!;
      await page.goto(`${app.baseUrl}/rectification?status=open`);
      await hydrated(page);
      const row = page.getByTestId(`rc-item-${item.id}`);
      expect(await row.textContent()).toContain(item.indicator);
      expect(await row.textContent()).toContain(SHORT[item.indicator]);
      expect(await row.getByTestId("rc-source-link").textContent()).toBe("绩效自评表 第5项指标");

      await row.locator("summary", { hasText: "登记整改结果" }).click();
      const form = row.getByTestId("rc-close-form");
      await form.getByRole("button", { name: "确认整改完成" }).click();
      const error = row.locator('.field-error[data-field="evidence"]');
      await error.waitFor();
      expect(await error.textContent()).toBe("请填写整改结果说明");
      expect(await row.locator('textarea[name="evidence"]').getAttribute("aria-invalid")).toBe("true");
      await page.screenshot({ path: path.join(screenshots, "rectification-refused.png") });
      expect((await app.db.selectFrom("rectification_item").select("status").where("id", "=", item.id).executeTakeFirstOrThrow()).status).toBe("open");

      await row.locator('textarea[name="evidence"]').fill("已精简审批流程，试行分级授权，资金当月划拨");
      await row.locator('input[name="evidenceOn"]').fill("2025-05-20");
      await row.getByRole("button", { name: "确认整改完成" }).click();
      // Closed, it leaves the list of open items: the confirmation is said at the top.
      await page.getByTestId("rc-result").waitFor();
      expect(await page.getByTestId("rc-result").textContent()).toBe(`已登记“${item.indicator}”的整改结果`);
      expect(await page.getByTestId(`rc-item-${item.id}`).count()).toBe(0);
      const stored = await app.db.selectFrom("rectification_item").select(["status", "evidence", "closed_by"]).select((eb) => eb.cast<string>("evidence_on", "text").as("on")).where("id", "=", item.id).executeTakeFirstOrThrow();
      expect([stored.status, stored.evidence, stored.on, stored.closed_by]).toEqual(["done", "已精简审批流程，试行分级授权，资金当月划拨", "2025-05-20", "minhang.manager"]);

      await page.goto(`${app.baseUrl}/rectification?status=done`);
      const done = page.getByTestId(`rc-item-${item.id}`);
      expect(await done.getAttribute("data-state")).toBe("done");
      expect(await done.textContent()).toContain("2025-05-20 · 闵行区财政局 管理员 确认完成");

      // The manager reopens it: refused at the field without a reason; with one, the item is open again and
      // shows why, so that its unit knows what is still to be done.
      await done.locator("summary", { hasText: "重新打开" }).click();
      const reopen = done.getByTestId("rc-reopen-form");
      await reopen.getByRole("button", { name: "重新打开" }).click();
      const missing = done.locator('.field-error[data-field="reason"]');
      await missing.waitFor();
      expect(await missing.textContent()).toBe("请说明重新打开的理由");
      expect((await app.db.selectFrom("rectification_item").select("status").where("id", "=", item.id).executeTakeFirstOrThrow()).status).toBe("done");
      await reopen.locator('textarea[name="reason"]').fill("佐证材料不足，请补充分级授权文件");
      await reopen.getByRole("button", { name: "重新打开" }).click();
      await page.getByTestId("rc-result").waitFor();
      expect(await page.getByTestId("rc-result").textContent()).toBe(`已重新打开“${item.indicator}”`);
      await page.goto(`${app.baseUrl}/rectification?status=open`);
      const reopened = page.getByTestId(`rc-item-${item.id}`).getByTestId("rc-reopened");
      expect(await reopened.textContent()).toMatch(/^\d{4}-\d{2}-\d{2} · 闵行区财政局 管理员 重新打开：佐证材料不足，请补充分级授权文件$/);
      const again = await app.db.selectFrom("rectification_item").select(["status", "evidence", "reopen_reason", "reopened_by"]).where("id", "=", item.id).executeTakeFirstOrThrow();
      expect(again).toEqual({ status: "open", evidence: null, reopen_reason: "佐证材料不足，请补充分级授权文件", reopened_by: "minhang.manager" });
      await page.screenshot({ path: path.join(screenshots, "rectification-reopened.png") });
    } finally {
      await context.close();
    }
  }, 60_000);

  test("the 2025 plan shows last year's result and the open item; adoption refuses a missing response at its field, then adopts", async () => {
    const context = await app.signedIn("maqiao.planner", { width: 1366, height: 768 });
    const page = await context.newPage();
    try {
      const open = await app.db.selectFrom("rectification_item").select(["id", "indicator"]).where("project_id", "=", projectId).where("status", "=", "open").orderBy("id").execute();
      expect(open.length).toBeGreaterThan(0);
      await page.goto(`${app.baseUrl}/plan/2025`);
      await page.getByTestId("plan-table").first().waitFor();
      await hydrated(page);
      // Last year's sheet: 98.00 优; what it lacks adds up (6 − 4.80, 4 − 3.20); the open items with their measures.
      const results = page.getByTestId("plan-results").first();
      expect(await results.getByTestId("plan-evaluation").textContent()).toBe("2024年绩效自评：优（98.00分）");
      expect(await results.getByTestId("plan-shortfalls").textContent()).toBe("未得满分：救助资金发放及时性 4.80/6.00；沟通协调有效性 3.20/4.00");
      for (const item of open) expect(await results.locator(`li[data-item="${item.id}"]`).textContent()).toContain(SHORT[item.indicator]);

      const bases = page.locator('[data-testid="adopt-bases"] textarea');
      for (let i = 0; i < (await bases.count()); i++) await bases.nth(i).fill("政策仍有效，2025年暂无农民参保对象，按0列支");
      const responses = page.getByTestId("adopt-responses");
      expect(await responses.locator("textarea").count()).toBe(open.length);
      // A blank response (spaces pass the browser's check) is refused by the server, at its field; nothing is adopted.
      const first = open[0]!;
      await responses.locator(`textarea[name="response:${first.id}"]`).fill("   ");
      for (const item of open.slice(1)) await responses.locator(`textarea[name="response:${item.id}"]`).fill("2025年预算已安排相应工作经费");
      await adopt(page);
      const error = responses.locator(`.field-error[data-field="response:${first.id}"]`);
      await error.waitFor();
      expect(await error.textContent()).toBe(`「医疗救助」${first.indicator}：请填写应对说明`);
      expect(await page.getByTestId("adopt-error").textContent()).toContain("未作任何修改");
      expect(await app.db.selectFrom("rectification_response").select("id").execute()).toEqual([]);
      await page.screenshot({ path: path.join(screenshots, "rectification-plan-refused.png"), fullPage: false });

      await responses.locator(`textarea[name="response:${first.id}"]`).fill("2025年预算安排电子签章系统接入费用，改进协作");
      await adopt(page);
      await page.getByTestId("adopt-done").waitFor({ timeout: 20_000 });
      const stored = await app.db.selectFrom("rectification_response").select(["item_id", "plan_year", "response", "username"]).orderBy("item_id").execute();
      expect(stored.map((r) => [r.item_id, r.plan_year, r.username])).toEqual(open.map((item) => [item.id, 2025, "maqiao.planner"]));
      expect(stored[0]!.response).toBe("2025年预算安排电子签章系统接入费用，改进协作");
    } finally {
      await context.close();
    }
  }, 60_000);

  test("a manager records an audit finding by hand: refused at the fields when incomplete, then listed with its origin", async () => {
    const context = await app.signedIn("minhang.manager", { width: 1366, height: 768 });
    const page = await context.newPage();
    try {
      await page.goto(`${app.baseUrl}/rectification`);
      await hydrated(page);
      const add = page.getByTestId("rc-add");
      await add.locator("summary").click();
      const form = page.getByTestId("rc-add-form");
      await form.locator('input[name="indicator"]').fill("项目资金拨付不及时");
      await form.getByRole("button", { name: "登记" }).click();
      await page.locator('.field-error[data-field="origin"]').waitFor();
      expect(await page.locator(".field-error").allTextContents()).toEqual(["请选择项目", "请填写整改要求", "请填写来源说明，如审计报告名称及条目", "请填写整改期限"]);
      // What was typed is still there; the rest is filled in and recorded.
      expect(await form.locator('input[name="indicator"]').inputValue()).toBe("项目资金拨付不及时");
      await form.locator('select[name="projectId"]').selectOption(String(projectId));
      await form.locator('textarea[name="measure"]').fill("建立资金拨付台账，按月对账");
      await form.locator('input[name="origin"]').fill("区审计局2024年度审计报告第三条");
      await form.locator('input[name="dueOn"]').fill("2099-06-30");
      await page.screenshot({ path: path.join(screenshots, "rectification-add.png") });
      await form.getByRole("button", { name: "登记" }).click();
      const stored = await waitForRow(() => app.db.selectFrom("rectification_item").select(["id", "origin", "source_row"]).where("source", "=", "manual").executeTakeFirst());
      expect([stored.origin, stored.source_row]).toEqual(["区审计局2024年度审计报告第三条", 1]);
      const row = page.getByTestId(`rc-item-${stored.id}`);
      await row.waitFor();
      expect(await row.getByTestId("rc-source-origin").textContent()).toBe("其他来源：区审计局2024年度审计报告第三条");
      expect(await row.textContent()).toContain("建立资金拨付台账，按月对账");
      await page.screenshot({ path: path.join(screenshots, "rectification-added.png") });
      // Recorded with a slip: corrected in place, an emptied field refused at the field with the rest kept.
      await row.locator("summary", { hasText: "更正" }).click();
      const correct = row.getByTestId("rc-correct-form");
      expect(await correct.locator('input[name="origin"]').inputValue()).toBe("区审计局2024年度审计报告第三条");
      await correct.locator('input[name="origin"]').fill("");
      await correct.locator('textarea[name="measure"]').fill("建立资金拨付台账，按月对账，逾期说明原因");
      await correct.getByRole("button", { name: "保存更正" }).click();
      await row.locator('.field-error[data-field="origin"]').waitFor();
      expect(await row.locator(".field-error").allTextContents()).toEqual(["请填写来源说明，如审计报告名称及条目"]);
      await row.getByTestId("rc-correct-form").locator('input[name="origin"]').fill("区审计局2024年度审计报告第四条");
      await row.getByTestId("rc-correct-form").getByRole("button", { name: "保存更正" }).click();
      await page.waitForFunction((id) => document.querySelector(`[data-testid="rc-item-${id}"] [data-testid="rc-source-origin"]`)?.textContent?.endsWith("第四条"), stored.id);
      expect(await row.textContent()).toContain("建立资金拨付台账，按月对账，逾期说明原因");
      expect(await row.textContent()).toContain("已更正整改事项“项目资金拨付不及时”");
      await page.screenshot({ path: path.join(screenshots, "rectification-corrected.png") });
      // Recorded by mistake: withdrawn in two steps, it leaves the list (the audit trail keeps it).
      await row.locator("summary", { hasText: "撤销登记" }).click();
      await row.getByRole("button", { name: "确认撤销" }).click();
      await page.getByTestId("rc-result").waitFor();
      expect(await page.getByTestId("rc-result").textContent()).toBe("已撤销整改事项“项目资金拨付不及时”");
      expect(await page.getByTestId(`rc-item-${stored.id}`).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});

/** 采纳: the first button shows what will be written, the second writes it (the panel stays open after a blocked submit). */
async function adopt(page: import("playwright-core").Page): Promise<void> {
  if ((await page.getByTestId("adopt-start").count()) > 0) await page.getByTestId("adopt-start").click();
  await page.getByTestId("adopt-submit").click();
}
