import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { database } from "../db.server";
import { deleteSession } from "../../db/users";
import { clearedSessionCookie, sessionToken } from "../session.server";

/** Signing out is a POST (a link could be triggered by another site); GET just goes home. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: Route.ActionArgs) {
  const token = sessionToken(request);
  if (token) await deleteSession(await database(), token);
  return redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
}
