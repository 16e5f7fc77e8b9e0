import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The layout's rules (decision 014), checked on the source: who may import whom, and how long a
 * file may grow. Routes → features' services → queries → rules; domain/, forecasting/, files/ and
 * messages/ never reach up.
 */

const ROOT = resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "cli", "db", "domain", "features", "files", "forecasting", "messages"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules" && name !== "+types") out.push(...sourceFiles(path));
    } else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((dir) => {
  try {
    return sourceFiles(join(ROOT, dir));
  } catch {
    return [];
  }
}).map((path) => relative(ROOT, path));

/** The project files a source file imports at run time (type-only imports left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const targets: string[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"/gm)) {
    if (match[2]) continue;
    targets.push(relative(ROOT, resolve(dirname(join(ROOT, file)), match[3]!)));
  }
  return targets;
}

const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

describe("layers", () => {
  const rules: Array<{ from: (f: string) => boolean; forbidden: string[]; why: string }> = [
    { from: (f) => within(f, "forecasting"), forbidden: ["app", "db", "features", "domain", "files", "messages"], why: "forecasting is a library of its own" },
    { from: (f) => within(f, "files"), forbidden: ["app", "db", "features", "domain", "forecasting"], why: "files reads and writes tables, nothing else" },
    { from: (f) => within(f, "messages"), forbidden: ["app", "db", "features", "domain", "forecasting", "files", "cli"], why: "the catalogues depend on nothing" },
    { from: (f) => within(f, "domain"), forbidden: ["app", "db", "features", "cli"], why: "domain rules are pure" },
    { from: (f) => /^features\/[^/]+\/rules\//.test(f), forbidden: ["app", "db", "cli"], why: "a feature's rules are pure" },
    { from: (f) => within(f, "db") || /^features\/[^/]+\/queries\//.test(f), forbidden: ["app", "cli"], why: "queries do not know the web or the CLI" },
    { from: (f) => within(f, "cli"), forbidden: ["app"], why: "the CLI does not reach into the web app" },
  ];

  for (const rule of rules) {
    it(`keeps ${rule.why}`, () => {
      const offending = files
        .filter(rule.from)
        .filter((f) => !f.endsWith(".test.ts"))
        .flatMap((f) => runtimeImports(f).filter((target) => rule.forbidden.some((dir) => within(target, dir))).map((target) => `${f} → ${target}`));
      // A feature's rules may not import its own queries either.
      const intoQueries = files
        .filter((f) => /^features\/[^/]+\/rules\//.test(f) && rule.why.includes("feature's rules"))
        .flatMap((f) => runtimeImports(f).filter((t) => /^features\/[^/]+\/queries\//.test(t)).map((t) => `${f} → ${t}`));
      expect([...offending, ...intoQueries]).toEqual([]);
    });
  }

  it("keeps every source file under 500 lines (migrations, message catalogues and data aside)", () => {
    const long = files
      .filter((f) => !f.endsWith(".test.ts") && !within(f, "db/migrations") && !/^messages\/(zh|en)\//.test(f) && !f.includes("fixture"))
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > 500)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });
});
