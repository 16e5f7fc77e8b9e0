import { describe, expect, it } from "vitest";
import { createRandom, normal } from "../random.ts";
import { fitAirline } from "./airline.ts";

// Monthly airline passengers 1949–1960, in thousands (Box & Jenkins; R's AirPassengers).
const PASSENGERS = `112 118 132 129 121 135 148 148 136 119 104 118 115 126 141 135 125 149 170 170 158 133 114 140
145 150 178 163 172 178 199 199 184 162 146 166 171 180 193 181 183 218 230 242 209 191 172 194
196 196 236 235 229 243 264 272 237 211 180 201 204 188 235 227 234 264 302 293 259 229 203 229
242 233 267 269 270 315 364 347 312 274 237 278 284 277 317 313 318 374 413 405 355 306 271 306
315 301 356 348 355 422 465 467 404 347 305 336 340 318 362 348 363 435 491 505 404 359 310 337
360 342 406 396 420 472 548 559 463 407 362 405 417 391 419 461 472 535 622 606 508 461 390 432`
  .split(/\s+/)
  .map(Number);

describe("the airline model ARIMA(0,1,1)(0,1,1)12", () => {
  it("fits the airline passengers as R's arima(log(AirPassengers), c(0,1,1), c(0,1,1), method = \"CSS\") does", () => {
    const model = fitAirline(PASSENGERS, 12)!;
    expect(model.logs).toBe(true);
    expect(model.theta).toBeCloseTo(-0.3772, 3);
    expect(model.seasonalTheta).toBeCloseTo(-0.5724, 3);
    // 1961: January about 450 thousand, July (the peak) about 669 thousand.
    expect(model.forecast[0]).toBeGreaterThan(445);
    expect(model.forecast[0]).toBeLessThan(455);
    expect(model.forecast[6]).toBeGreaterThan(660);
    expect(model.forecast[6]).toBeLessThan(680);
  });

  it("recovers θ and Θ from a simulated airline process, and undoes the differencing exactly", () => {
    // w_t = e_t − 0.5 e_{t−1} − 0.7 e_{t−12} + 0.35 e_{t−13}, integrated twice (by a month and by a year), around 0.
    const random = createRandom(7);
    const n = 360;
    const e = Array.from({ length: n }, () => normal(random));
    const y = new Array<number>(n).fill(0);
    for (let t = 13; t < n; t++) {
      const w = e[t]! - 0.5 * e[t - 1]! - 0.7 * e[t - 12]! + 0.35 * e[t - 13]!;
      y[t] = w + y[t - 1]! + y[t - 12]! - y[t - 13]!;
    }
    const model = fitAirline(y, 12)!;
    expect(model.logs).toBe(false); // values reach zero and below
    expect(model.theta).toBeGreaterThan(-0.62);
    expect(model.theta).toBeLessThan(-0.38);
    expect(model.seasonalTheta).toBeGreaterThan(-0.82);
    expect(model.seasonalTheta).toBeLessThan(-0.58);
    // An exact seasonal pattern on a line has no shocks: the forecast continues it.
    const pattern = [0, 5, 10, 20, 10, 5, 0, 5, 10, 20, 10, 5];
    const exact = Array.from({ length: 48 }, (_, t) => 2 * t + pattern[t % 12]!);
    fitAirline(exact, 12)!.forecast.forEach((f, h) => expect(f).toBeCloseTo(2 * (48 + h) + pattern[(48 + h) % 12]!, 6));
  });

  it("without the seasonal part, is ARIMA(0,1,1) with drift: the mean monthly change continues", () => {
    // Growing 1% a month exactly: on logarithms a straight line, no shocks, so the forecast continues it.
    const growing = Array.from({ length: 48 }, (_, t) => 100 * Math.exp(0.01 * t));
    const model = fitAirline(growing, 12, { seasonal: false })!;
    expect(model).toMatchObject({ form: "drift", logs: true, seasonalTheta: 0 });
    expect(model.drift).toBeCloseTo(0.01, 12);
    model.forecast.forEach((f, h) => expect(f / (100 * Math.exp(0.01 * (48 + h)))).toBeCloseTo(1, 9));
    // Shocks that an MA(1) partly undoes: θ is recovered near −0.6 and the drift near 0.5 a month.
    const random = createRandom(11);
    const e = Array.from({ length: 400 }, () => normal(random));
    const y = [0];
    for (let t = 1; t < 400; t++) y.push(y[t - 1]! + 0.5 + e[t]! - 0.6 * e[t - 1]!);
    const fitted = fitAirline(y, 12, { seasonal: false })!;
    expect(fitted.logs).toBe(false);
    expect(fitted.theta).toBeGreaterThan(-0.7);
    expect(fitted.theta).toBeLessThan(-0.5);
    expect(fitted.drift).toBeGreaterThan(0.45);
    expect(fitted.drift).toBeLessThan(0.55);
    // On values (not logarithms): a straight line through zero continues exactly, the drift its slope.
    const line = Array.from({ length: 40 }, (_, t) => -50 + 2 * t);
    const straight = fitAirline(line, 6, { seasonal: false })!;
    expect(straight.logs).toBe(false);
    expect(straight.drift).toBeCloseTo(2, 6);
    straight.forecast.forEach((f, h) => expect(f).toBeCloseTo(-50 + 2 * (40 + h), 6));
    // The drift is estimated with θ, not from the first and last values alone: raising the last month moves it little.
    const raised = [...y.slice(0, 399), y[399]! + 30];
    expect(Math.abs(fitAirline(raised, 12, { seasonal: false })!.drift - fitted.drift)).toBeLessThan(0.05);
    expect(fitAirline(PASSENGERS, 12)!.form).toBe("airline");
  });

  it("needs three whole years", () => {
    expect(fitAirline(PASSENGERS.slice(0, 35), 12)).toBeUndefined();
    expect(fitAirline(PASSENGERS.slice(0, 36), 12)).toBeDefined();
  });
});
