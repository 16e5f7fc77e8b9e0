import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };
import chineseDaysPackage from "chinese-days/package.json" with { type: "json" };
import type { CalendarDayKind } from "../../domain/workdays.ts";

/*
 * The holidays and make-up working days of the `chinese-days` package (pinned in package.json), bundled
 * with the app at build time: its dist/chinese-days.json maps each date to "English name,中文名,天数" in
 * `holidays` (every day off, weekends included) and `workdays` (the weekends worked). Migration 0017 seeded
 * the calendar from the version then installed; a newer version's further years are imported from here
 * (/calendar, 从 chinese-days 导入). Decision 016-working-day-calendar.
 */

/** The package's data as its JSON holds it. */
export interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** An exception day as the calendar stores it. */
export interface PackageDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
}

/** The source stored with the package's days: "chinese-days 1.5.7". */
export const PACKAGE_SOURCE = `chinese-days ${chineseDaysPackage.version}`;
export const PACKAGE_VERSION: string = chineseDaysPackage.version;

const weekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
const nameOf = (value: string) => value.split(",")[1]?.trim() || value;

/**
 * The package's days that differ from the Monday–Friday rule, by year: a holiday on a weekend is not an
 * exception and is left out. Example: 2024 → 春节 holidays 12–16 Feb, workdays 4 and 18 Feb, ….
 */
export function packageDaysByYear(data: PackageData = chineseDays as PackageData): Map<number, PackageDay[]> {
  const days: PackageDay[] = [
    ...Object.entries(data.holidays).filter(([day]) => !weekend(day)).map(([day, value]) => ({ day, kind: "holiday" as const, name: nameOf(value) })),
    ...Object.entries(data.workdays).filter(([day]) => weekend(day)).map(([day, value]) => ({ day, kind: "workday" as const, name: nameOf(value) })),
  ].sort((a, b) => a.day.localeCompare(b.day));
  const byYear = new Map<number, PackageDay[]>();
  for (const year of [...Object.keys(data.holidays), ...Object.keys(data.workdays)].map((day) => Number(day.slice(0, 4))).sort((a, b) => a - b)) {
    byYear.set(year, []);
  }
  for (const day of days) byYear.get(Number(day.day.slice(0, 4)))!.push(day);
  return byYear;
}

/**
 * The package's English name of a day name it gives in Chinese, for the English interface (names typed by
 * people have none and show as typed): packageEnglishName("春节") → "Spring Festival"; packageEnglishName("台风") → undefined.
 */
export function packageEnglishName(name: string): string | undefined {
  if (!englishNames) {
    const data = chineseDays as PackageData;
    englishNames = new Map();
    for (const value of [...Object.values(data.holidays), ...Object.values(data.workdays)]) {
      const [english, chinese] = value.split(",").map((part) => part.trim());
      if (english && chinese) englishNames.set(chinese, english);
    }
  }
  return englishNames.get(name.trim());
}
let englishNames: Map<string, string> | undefined;
