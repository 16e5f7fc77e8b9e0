#!/usr/bin/env node
// Makes sure Debian's Chromium is there for the browser tests (never a downloaded browser build).
// Installs it with apt-get when missing and running as root; otherwise explains what to do.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
if (candidates.some((path) => existsSync(path))) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = existsSync("/usr/bin/apt-get");
if (isRoot && hasApt) {
  console.log("安装 Chromium（浏览器测试需要） installing Debian's chromium (and a CJK font for its screenshots) for the browser tests…");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei", { stdio: "inherit", shell: "/bin/bash" });
    process.exit(0);
  } catch {
    console.error("apt-get install chromium failed");
  }
}
const message =
  "未找到 Chromium：浏览器测试需要它。 Chromium was not found: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.";
if (process.env.CI) {
  console.error(message);
  process.exit(1);
}
console.warn(`${message}\nThe browser tests will be skipped.`);
