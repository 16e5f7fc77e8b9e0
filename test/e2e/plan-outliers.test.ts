import { beforeAll, describe, expect, test } from "vitest";
import { browserAvailable } from "./browser.ts";
import { useSeededApp } from "./app.ts";
import { runImport, type Importer } from "../../features/import/queries/run.ts";

const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";
const HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const cli: Importer = { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null };

/** Issue 11 §5: after a 50,000,000.00 元 payment for 1 人次, /plan/2025 answers and says which month it left out and why. */
describe.skipIf(!browserAvailable())("in the browser: the plan with a slip in the ledger", () => {
  const app = useSeededApp();
  beforeAll(async () => {
    const report = await runImport(app.db, {
      kind: "payments",
      fileHash: "f".repeat(64),
      fileName: "slip.csv",
      importer: cli,
      commit: true,
      acceptOverBudget: true,
      source: {
        headers: HEADERS,
        rows: (async function* () {
          yield { rowNumber: 2, cells: ["2024", MAQIAO_CENTRE, "医疗救助", "", "2024-12-20", "社会化发放", "1", "50000000.00", "", "", "", "", ""] };
        })(),
      },
    });
    expect(report.committed).toBe(true);
  });

  for (const [username, lang] of [["maqiao.planner", "zh"], ["minhang.manager", "en"]] as const) {
    test(`${username} (${lang}): the page renders, the modelled lines carry their data note`, async () => {
      const context = await app.signedIn(username, { width: 1400, height: 900 });
      const page = await context.newPage();
      try {
        const unit = username === "minhang.manager" ? `&unit=${(await app.db.selectFrom("org_unit").select("id").where("name", "=", "马桥镇").executeTakeFirstOrThrow()).id}` : "";
        const response = await page.goto(`${app.baseUrl}/plan/2025?lang=${lang}${unit}`);
        expect(response?.status()).toBe(200);
        await page.getByTestId("plan-table").waitFor({ timeout: 10_000 });
        const line = page.locator('[data-testid="plan-line"][data-item="市级政策门急诊救助"]');
        expect(await line.getByTestId("data-notes-marker").textContent()).toBe(lang === "zh" ? "⚠ 1 条数据提示" : "⚠ 1 data note");
        const notes = page.getByTestId("data-notes");
        expect(await notes.count()).toBe(4);
        const text = (await notes.first().locator("li").textContent()) ?? "";
        expect(text).toContain("2024-12");
        expect(text).toContain(lang === "zh" ? "疑似元/万元混淆：未用于预测" : "left out of the forecast");
        if (lang === "en") expect(text).not.toMatch(/[\u4e00-\u9fff]/);
      } finally {
        await context.close();
      }
    });
  }
});
