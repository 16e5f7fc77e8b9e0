import { ping } from "../../db/pool";
import { database } from "../db.server";

/** Liveness and database check for operators and the browser tests: 200 "ok" once the database answers. */
export async function loader() {
  await ping(await database());
  return new Response("ok", { headers: { "Content-Type": "text/plain" } });
}
