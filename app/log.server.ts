import { createContext } from "react-router";
import { pino, type Logger } from "pino";

/*
 * The server's log: one JSON object per line on stdout (pino, decision 019), with a level, an ISO time
 * and — inside a request — the request's id (reqId), also sent back as X-Request-Id. Passwords, session
 * tokens and cookies are never logged: the fields below are censored wherever they would appear.
 * LOG_LEVEL (trace, debug, info, warn, error, fatal, silent) sets the threshold; info by default.
 */

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

function level(): string {
  const wanted = (process.env.LOG_LEVEL ?? "").trim().toLowerCase();
  return LEVELS.has(wanted) ? wanted : "info";
}

/** The process's logger; within a request use requestLog(context), which carries the request id. */
export const logger: Logger = pino({
  level: level(),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "cookie", "*.cookie", "headers.cookie", "headers.authorization", 'headers["set-cookie"]'],
    censor: "[redacted]",
  },
});

/** The logger of the request being served (with its reqId); the process's logger outside requests. */
export const requestLogContext = createContext<Logger>(logger);

/** The request's logger, from a loader's, action's or middleware's context. */
export function requestLog(context: { get: (key: typeof requestLogContext) => Logger }): Logger {
  return context.get(requestLogContext);
}
