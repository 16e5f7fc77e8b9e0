import { z } from "zod";
import { loadTrackingForm } from "../features/tracking/service";
import { refusal, type userContext } from "./guard.server";
import { requireProject } from "./route-params.server";
import type { SessionUser } from "../db/users";

/** A revision number in the query; anything else means the newest. */
const revisionSchema = z.string().regex(/^\d{1,9}$/).transform(Number);

/**
 * The tracking form a print or export URL names: the route's project (read permission), the period
 * (?periodEnd=) and revision (?revision=, else the newest); 404 in the user's language when there is none.
 */
export async function requireTrackingForm(args: {
  request: Request;
  params: Record<string, string | undefined>;
  context: { get: (key: typeof userContext) => SessionUser | null };
}) {
  const { db, project } = await requireProject(args);
  const search = new URL(args.request.url).searchParams;
  const revision = revisionSchema.safeParse(search.get("revision") ?? "").data ?? null;
  const view = await loadTrackingForm(db, project.id, { periodEnd: search.get("periodEnd"), revision });
  if (!view) throw refusal(args.request, "notFound", 404);
  return view;
}
