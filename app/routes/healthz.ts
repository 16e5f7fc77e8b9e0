import { ping } from "../../db/pool";
import { database } from "../db.server";

/** Rejects after ms: a database that does not answer in time is not ready. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Readiness for operators, supervisors and the browser tests: 200 "ok" once the database answers
 * within 3 s, else 503 "not ready" (still opening, down, or being restarted: decision 018).
 */
export async function loader() {
  try {
    await within(3_000, database().then(ping));
  } catch {
    return new Response("not ready: the database is unavailable\n", {
      status: 503,
      headers: { "Content-Type": "text/plain", "Retry-After": "5", "Cache-Control": "no-store" },
    });
  }
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
