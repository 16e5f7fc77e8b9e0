/*
 * Why a plan line has its figures, as messages (codes with parameters) that the plan page and the CLI
 * render in the user's language. The forecasting library keeps its own wording for its backtest
 * reports; the plan builds its messages from the library's structured selection instead.
 */
import type { BudgetLineForecast } from "../../../forecasting/budget-line.ts";
import type { EtsChoice } from "../../../forecasting/ets-combination.ts";
import type { MethodName } from "../../../forecasting/methods.ts";
import { CALENDAR_METHODS, INTERMITTENT_CANDIDATES } from "../../../forecasting/intermittent.ts";
import type { Selection, SelectionFit } from "../../../forecasting/selection.ts";
import { msg, type Message } from "../../../messages/index.ts";

const mase = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(2));

const METHOD_KEYS = {
  seasonalNaive: "planFcMethod_seasonalNaive",
  naive2: "planFcMethod_naive2",
  lastYearGrowth: "planFcMethod_lastYearGrowth",
  ses: "planFcMethod_ses",
  holt: "planFcMethod_holt",
  damped: "planFcMethod_damped",
  theta: "planFcMethod_theta",
  ets: "planFcMethod_ets",
  croston: "planFcMethod_croston",
  tsb: "planFcMethod_tsb",
  seasonalMean: "planFcMethod_seasonalMean",
  combination: "planFcMethod_combination",
} as const satisfies Record<MethodName, string>;

/** A forecasting method's name: methodMessage("ets") → 指数平滑状态空间 ETS / ETS. */
export function methodMessage(method: MethodName): Message {
  return msg(METHOD_KEYS[method]);
}

const ETS_CHOICE_KEYS = {
  ets: "planEtsChoice_ets",
  etsMedian: "planEtsChoice_etsMedian",
  etsThetaMedian: "planEtsChoice_etsThetaMedian",
  etsArimaTheta: "planEtsChoice_etsArimaTheta",
  etsArimaMedian: "planEtsChoice_etsArimaMedian",
  etsArima: "planEtsChoice_etsArima",
} as const satisfies Record<Exclude<EtsChoice, "median">, string>;

const SEASONALITY_KEYS = {
  none: "planFitSeasonal_none",
  multiplicative: "planFitSeasonal_multiplicative",
  additive: "planFitSeasonal_additive",
} as const satisfies Record<SelectionFit["seasonality"], string>;
const SEASONALITY_BY_KEYS = { test: "planFitBy_test", cv: "planFitBy_cv", given: "planFitBy_given" } as const satisfies Record<SelectionFit["seasonalityBy"], string>;

/** What a forecast was fitted on: 近72个月（共150个月，窗口经交叉验证选定），加法季节调整（有零值月份）（经交叉验证选定）. */
export function fitMessage(fit: SelectionFit): Message {
  return msg("planFit", {
    window: fit.window === undefined ? msg("planFitAll", { months: fit.months }) : msg("planFitWindow", { window: fit.window, months: fit.months }),
    seasonality: msg(SEASONALITY_KEYS[fit.seasonality]),
    by: msg(SEASONALITY_BY_KEYS[fit.seasonalityBy]),
  });
}

/** How a series' forecast was chosen, with the cross-validated MASE that chose it, and what it was fitted on. */
export function selectionMessage(selection: Selection): Message {
  const { cvMase, fit } = selection;
  switch (selection.kind) {
    case "median": {
      // Under four years: two parts the median, one part seasonal naive, kept by cross-validation.
      if (selection.naiveMix && fit) {
        return msg("planSelNaiveMix", {
          share: `${(selection.naiveMix.share * 100).toFixed(1)}%`,
          mase: mase(selection.naiveMix.cvMase),
          median: mase(cvMase.combination),
          naive: mase(cvMase.seasonalNaive),
          fit: fitMessage(fit),
        });
      }
      // The ETS family joined by cross-validation (long histories): say what was kept and against what.
      if (selection.ets && selection.ets.choice !== "median" && fit) {
        const { form, choice, arima } = selection.ets;
        const arimaChoice = choice === "etsArimaMedian" || choice === "etsArimaTheta" || choice === "etsArima";
        return msg(arimaChoice ? "planSelEtsArima" : "planSelEts", {
          chosen: msg(ETS_CHOICE_KEYS[choice], { form, arima: msg(arima === "drift" ? "planArima_drift" : "planArima_airline") }),
          mase: mase(selection.ets.cvMase[choice]),
          median: mase(selection.ets.cvMase.median),
          fit: fitMessage(fit),
        });
      }
      const ranked = (Object.entries(cvMase) as [MethodName, number][])
        .filter(([method, value]) => method !== "combination" && Number.isFinite(value))
        .sort((a, b) => a[1] - b[1])
        .map(([method, value]) => msg("planRankedMethod", { method: methodMessage(method), mase: value.toFixed(2) }));
      if (fit) return msg("planSelMedianFit", { mase: mase(cvMase.combination), ranked, fit: fitMessage(fit) });
      return msg("planSelMedian", { mase: mase(cvMase.combination), ranked });
    }
    case "best":
    case "intermittent":
      // Seasonal naive taken on a short history (12–29 months; always under 24): last year's same months.
      if (selection.kind === "best" && fit?.short) {
        if (fit.belowTwoYears) return msg("planSelBelowTwoYears", { months: fit.months });
        return fit.untested
          ? msg("planSelShortNaiveUntested", { months: fit.months })
          : msg("planSelShortNaive", { months: fit.months, mase: mase(cvMase[selection.method]), combination: mase(cvMase.combination) });
      }
      // An intermittent series whose amounts recur each year (decisions 025, 026): last year's same months or the
      // mean of the last three years' same months, against the other candidates on the same origins.
      if (selection.kind === "intermittent" && selection.calendar && CALENDAR_METHODS.includes(selection.method)) {
        const others = INTERMITTENT_CANDIDATES.filter((m) => m !== selection.method && Number.isFinite(cvMase[m])).map((m) =>
          msg("planRankedMethod", { method: methodMessage(m), mase: mase(cvMase[m]) }),
        );
        const method = msg(selection.method === "seasonalNaive" ? "planCalendar_seasonalNaive" : "planCalendar_seasonalMean");
        return msg("planSelIntermittentCalendar", { method, mase: mase(cvMase[selection.method]), others });
      }
      return msg(selection.kind === "best" ? "planSelBest" : "planSelIntermittent", {
        method: methodMessage(selection.method),
        mase: mase(cvMase[selection.method]),
      });
    case "weighted": {
      const weights = (Object.entries(selection.weights) as [MethodName, number][])
        .map(([method, weight]) => `${method} ${(weight * 100).toFixed(0)}% (MASE ${mase(cvMase[method])})`)
        .join(", ");
      return msg("planSelWeighted", { weights });
    }
    case "fallback":
      return msg("planSelFallback");
  }
}

/** Why a model-forecast line has its quantity and unit price. */
export function forecastReason(forecast: Pick<BudgetLineForecast, "method" | "unitPrice">): Message {
  const { volume, unitCost } = forecast.method;
  const cost =
    unitCost === "standard"
      ? msg("planCostStandard", { standard: forecast.unitPrice })
      : unitCost === "mean"
        ? msg("planCostRestatedMean")
        : msg("planCostRestated", { selection: selectionMessage(unitCost) });
  return msg("planReasonModel", { volume: selectionMessage(volume), cost });
}
