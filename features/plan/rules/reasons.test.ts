import { describe, expect, it } from "vitest";
import { createRandom, normal } from "../../../forecasting/random.ts";
import { generateProperties } from "../../../forecasting/backtest/properties.ts";
import { forecastSeries } from "../../../forecasting/selection.ts";
import { driftingProfile, oldRegime } from "../../../forecasting/test-series.ts";
import { render } from "../../../messages/index.ts";
import { selectionMessage } from "./reasons.ts";

describe("the plan page's words for how a forecast was chosen", () => {
  it("says when an intermittent series takes last year's same months because its amounts recur each year", () => {
    // Paid at each quarter's end only, 5% more each year: intermittent by ADI, and the calendar says when.
    const random = createRandom(7);
    const series = Array.from({ length: 60 }, (_, t) => ((t + 1) % 3 === 0 ? Math.round(100_000 * 1.05 ** Math.floor(t / 12) * (1 + 0.03 * normal(random))) : 0));
    const selection = forecastSeries(series, { horizon: 12 }).selection;
    expect([selection.kind, selection.method]).toEqual(["intermittent", "seasonalNaive"]);
    const two = (value: number | undefined) => value!.toFixed(2);
    expect(render("zh", selectionMessage(selection))).toBe(
      `间歇序列（ADI ≥ 1.32），但金额按月份逐年重复：取上年同月（季节朴素），交叉验证 MASE ${two(selection.cvMase.seasonalNaive)}；` +
        `其他候选：Croston-SBA 间歇需求 ${two(selection.cvMase.croston)}、TSB 间歇需求 ${two(selection.cvMase.tsb)}、近两至三年同月均值 ${two(selection.cvMase.seasonalMean)}`,
    );
    expect(render("en", selectionMessage(selection))).toMatch(
      /^intermittent series \(ADI ≥ 1\.32\) whose amounts recur with the calendar: last year's same months \(seasonal naive\), CV MASE \d+\.\d\d; the other candidates: Croston-SBA \d+\.\d\d, TSB \d+\.\d\d, same-month mean of the last two or three years \d+\.\d\d$/,
    );
  });

  it("lists only the candidates that competed: no seasonal mean where no CV origin has two whole years behind it", () => {
    // 26 months paid at each quarter's end: no origin has two whole years behind it, so the seasonal mean is not scored.
    const random = createRandom(11);
    const series = Array.from({ length: 26 }, (_, t) => ((t + 1) % 3 === 0 ? Math.round(50_000 * (1 + 0.02 * normal(random))) : 0));
    const selection = forecastSeries(series, { horizon: 12 }).selection;
    expect([selection.kind, selection.method, selection.calendar, selection.cvMase.seasonalMean]).toEqual(["intermittent", "seasonalNaive", true, Number.NaN]);
    const zh = render("zh", selectionMessage(selection));
    expect(zh).toMatch(/^间歇序列（ADI ≥ 1\.32），但金额按月份逐年重复：取上年同月（季节朴素），交叉验证 MASE \d+\.\d\d；其他候选：Croston-SBA 间歇需求 \d+\.\d\d、TSB 间歇需求 \d+\.\d\d$/);
    expect(render("en", selectionMessage(selection))).not.toMatch(/same-month mean|—/);
  });

  it("names the seasonal mean as the lowest CV MASE, without a calendar claim, where the amounts do not recur", () => {
    // Months paid at random (about two in five): seasonal naive does not compete; the seasonal mean does, and wins now and then.
    const series = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 48 }, () => (random() < 0.4 ? Math.round(1000 * (1 + 0.5 * normal(random))) : 0));
    };
    const selection = Array.from({ length: 60 }, (_, i) => forecastSeries(series(200 + i), { horizon: 12 }).selection).find((s) => s.method === "seasonalMean");
    expect(selection).toMatchObject({ kind: "intermittent", calendar: false });
    const value = selection!.cvMase.seasonalMean!.toFixed(2);
    expect(render("zh", selectionMessage(selection!))).toBe(`间歇序列（ADI ≥ 1.32），交叉验证 MASE 最低：近两至三年同月均值（${value}）`);
    expect(render("en", selectionMessage(selection!))).toBe(`intermittent series (ADI ≥ 1.32), lowest CV MASE: same-month mean of the last two or three years (${value})`);
  });

  it("is true to every intermittent choice on generated payment schedules: the calendar words only past the calendar test", () => {
    const chosen = generateProperties({ perProperty: 60, seed: 4 })
      .filter((s) => s.category === "schedule")
      .map((s) => forecastSeries(Array.from(s.values).slice(0, -s.horizon), { horizon: 12 }).selection)
      .filter((s) => s.kind === "intermittent");
    const seen = new Set<string>();
    for (const selection of chosen) {
      const zh = render("zh", selectionMessage(selection));
      const en = render("en", selectionMessage(selection));
      const calendarWords = selection.calendar === true && (selection.method === "seasonalNaive" || selection.method === "seasonalMean");
      seen.add(`${selection.calendar}/${selection.method}`);
      expect(zh.startsWith("间歇序列（ADI ≥ 1.32），但金额按月份逐年重复：")).toBe(calendarWords);
      expect(en.startsWith("intermittent series (ADI ≥ 1.32) whose amounts recur with the calendar:")).toBe(calendarWords);
      expect(zh).toContain(selection.cvMase[selection.method]!.toFixed(2));
      expect(en).not.toMatch(/[\u4e00-\u9fff]/);
      if (calendarWords) expect(zh).toContain(selection.method === "seasonalMean" ? "取近两至三年同月均值" : "取上年同月（季节朴素）");
    }
    // Both calendar methods won past the test, and a flat rate or the seasonal mean won where it failed.
    expect([...seen]).toEqual(expect.arrayContaining(["true/seasonalNaive", "true/seasonalMean"]));
    expect([...seen].some((k) => k.startsWith("false/"))).toBe(true);
  });

  it("says when the ETS family was kept by cross-validation on a long history, in both languages", () => {
    const chosen = [1, 2, 3, 4, 5, 6].map((seed) => forecastSeries(driftingProfile(seed, 120), { horizon: 12 }).selection).find((s) => s.ets && s.ets.choice !== "median");
    expect(chosen).toBeDefined();
    const zh = render("zh", selectionMessage(chosen!));
    const en = render("en", selectionMessage(chosen!));
    expect(zh).toMatch(new RegExp(`^ETS ${chosen!.ets!.form}(、| 与 )`));
    // The kept combination's CV MASE, and the median's alone as a reference (not a candidate on long histories).
    expect(zh).toContain(
      `：在含 ETS 与 ARIMA 的三种组合中交叉验证最优，交叉验证 MASE ${chosen!.ets!.cvMase[chosen!.ets!.choice].toFixed(2)}（参照：六法中位数单独为 ${chosen!.ets!.cvMase.median.toFixed(2)}；`,
    );
    expect(zh).toContain("；六法中位数拟合于");
    expect(zh).toMatch(/，ETS 与 ARIMA 用全部历史$/);
    expect(en).toMatch(/^the mean of ETS [AM]\w+,? .*: the best by cross-validation of the three combinations with ETS and ARIMA, CV MASE \d\.\d\d \(for reference, the median of six alone: \d\.\d\d;/);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("says that ETS and ARIMA were fitted on the whole history where the median took a recent window, in both languages", () => {
    const values = oldRegime(2);
    const selection = forecastSeries(values, { horizon: 12 }).selection;
    expect(selection.fit?.window).toBe(72);
    expect(["etsArimaMedian", "etsArimaTheta", "etsArima"]).toContain(selection.ets!.choice);
    expect(render("zh", selectionMessage(selection))).toContain("；六法中位数拟合于近72个月");
    expect(render("zh", selectionMessage(selection))).toMatch(/，ETS 与 ARIMA 用全部历史$/);
    expect(render("en", selectionMessage(selection))).toMatch(/the median of six is fitted on the last 72 of 150 months.*, ETS and ARIMA on the whole history$/);
  });

  it("names ARIMA(0,1,1) with drift as the ARIMA member on a series without seasonality", () => {
    // Eight years of steady growth with noise and no month profile.
    const random = createRandom(4);
    const values = Array.from({ length: 96 }, (_, t) => Math.round(1000 + 8 * t + 40 * normal(random)));
    const selection = forecastSeries(values, { horizon: 12 }).selection;
    expect(selection.fit?.seasonality).toBe("none");
    expect(selection.ets).toMatchObject({ arima: "drift" });
    expect(render("zh", selectionMessage(selection))).toContain("带漂移的 ARIMA(0,1,1)");
    expect(render("en", selectionMessage(selection))).toContain("ARIMA(0,1,1) with drift");
    expect(render("en", selectionMessage(selection))).not.toContain("airline");
  });

  it("says when a third of the forecast is last year's months (under four years), in both languages", () => {
    const selection = forecastSeries(driftingProfile(1, 120).slice(0, 36), { horizon: 12 }).selection;
    expect(selection.naiveMix).toBeDefined();
    const zh = render("zh", selectionMessage(selection));
    expect(zh).toContain(`六法中位数组合与上年同月（季节朴素）加权平均，季节朴素占 33.3%，交叉验证 MASE ${selection.naiveMix!.cvMase.toFixed(2)}（六法中位数 ${selection.cvMase.combination!.toFixed(2)}，季节朴素 ${selection.cvMase.seasonalNaive!.toFixed(2)}），拟合于全部36个月`);
    const en = render("en", selectionMessage(selection));
    expect(en).toMatch(/^the median of six methods weighted with last year's same months \(seasonal naive, 33\.3% of the weight\): CV MASE /);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("names the methods of the median's cross-validation in the reader's language", () => {
    const selection = forecastSeries(driftingProfile(1, 120).slice(0, 36), { horizon: 12, naiveMix: false }).selection;
    expect(selection.naiveMix).toBeUndefined();
    const zh = render("zh", selectionMessage(selection));
    const en = render("en", selectionMessage(selection));
    expect(zh).toContain(`简单指数平滑 SES ${selection.cvMase.ses!.toFixed(2)}`);
    expect(zh).toContain(`季节朴素 ${selection.cvMase.seasonalNaive!.toFixed(2)}`);
    expect(zh).toMatch(/\d、[^，]/); // the language's list separator
    expect(en).toContain(`seasonal naive ${selection.cvMase.seasonalNaive!.toFixed(2)}`);
    expect(en).not.toMatch(/\bses \d/);
  });

  it("says only \"chosen by cross-validation\" for a candidate without ARIMA (asked for explicitly)", () => {
    const selection = forecastSeries(driftingProfile(1, 120), { horizon: 12, etsCandidates: ["ets"] }).selection;
    expect(selection.ets?.choice).toBe("ets");
    expect(render("zh", selectionMessage(selection))).toMatch(/^ETS [AM]\w+（按 AICc 选定的指数平滑状态空间模型）：交叉验证选定，交叉验证 MASE \d\.\d\d（参照：六法中位数单独为 \d\.\d\d）；六法中位数拟合于/);
    expect(render("en", selectionMessage(selection))).not.toContain("ARIMA");
  });

  it("says seasonal naive was taken because the history has a whole year but not two", () => {
    const selection = forecastSeries(Array.from({ length: 18 }, (_, t) => 100 + t), { horizon: 12 }).selection;
    expect(render("zh", selectionMessage(selection))).toBe("历史不足两年（18个月），无法估计季节规律：取上年同月（季节朴素）");
    expect(render("en", selectionMessage(selection))).toBe(
      "under two years of history (18 months): no seasonal pattern can be estimated, so last year's same months are repeated (seasonal naive)",
    );
  });
});
