// The forecasting library: pure TypeScript, no imports from app/, db/ or cli/, no Node-only APIs.
export { geometricMean, mase, maseScale, smape, winkler } from "./accuracy.ts";
export { policyAt, restateHistory, restatementRange } from "./restatement.ts";
export {
  forecastBudgetLines,
  totalForecast,
  type AmountInterval,
  type BudgetLineForecast,
  type BudgetLineInput,
  type ChangeSplit,
  type ForecastOptions,
  type ForecastTotal,
  type PolicyPeriod,
  type TargetPolicy,
} from "./budget-line.ts";
export { crossValidate, rollingOrigins, type CrossValidation, type OriginErrors } from "./cross-validation.ts";
export {
  calibrate,
  centredCalibration,
  commonErrorSpread,
  intervalFromDraws,
  intervalsFor,
  simulatePaths,
  type Calibration,
  type ErrorSeries,
  type Intervals,
} from "./intervals.ts";
export {
  BASELINES,
  COMBINATION_MEMBERS,
  forecastMethods,
  forecastWith,
  METHOD_LABELS,
  METHOD_NAMES,
  medianForecast,
  prepareSeries,
  type MethodName,
  type PreparedSeries,
  type SeasonalForm,
  type SeasonalityChoice,
} from "./methods.ts";
export { averageDemandInterval, crostonSba, isIntermittent, tsb } from "./methods/croston.ts";
export { ets } from "./methods/ets.ts";
export { admissibleForms, autoEts, etsFormName, fitEtsForm, type EtsModel, type EtsParameters, type EtsSpec } from "./methods/ets-family.ts";
export { airlineMinimum, fitAirline, type AirlineModel } from "./methods/airline.ts";
export { etsCombination, type EtsChoice, type EtsCombination } from "./ets-combination.ts";
export { holt } from "./methods/holt.ts";
export { lastYearGrowth, naive, seasonalMean, seasonalNaive } from "./methods/naive.ts";
export { ses } from "./methods/ses.ts";
export { theta } from "./methods/theta.ts";
export { addYuan, splitInteger, splitTotal, subtractYuan, timesQuantity, toYuan, unitPrice } from "./money.ts";
export { DRIVER_MIN_SPREAD, forecastDriver, type DriverForecast } from "./drivers.ts";
export { fallbackForecast } from "./fallback.ts";
export { OUTLIER_RULE, robustOutliers, screenHistory, type ForecastNote, type ForecastNoteCode, type ScreenedHistory } from "./outliers.ts";
export { estimateSigma, estimateSigmaRange, expectedPayment, fitCostModel, fitPayments, restatePayments, restateUnitCost, type BenefitPolicy, type CostModel, type SigmaEstimate } from "./policy.ts";
export { createRandom, type Random } from "./random.ts";
export { additiveIndices, amountsFollowCalendar, classicalIndices, deseasonalise, isSeasonal, pooledIndices, yearlyProfile } from "./seasonality.ts";
export { fitVariants, forecastSeries, type Selection, type SelectionFit, type SelectionRule, type SeriesForecast } from "./selection.ts";
export { CALENDAR_METHODS, INTERMITTENT_CANDIDATES } from "./intermittent.ts";
