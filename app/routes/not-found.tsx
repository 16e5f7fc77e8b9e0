import type { Route } from "./+types/not-found";
import { refusal } from "../guard.server";

/**
 * Any address no other route has: 404, shown by the root's error page inside the layout (navigation,
 * language and the signed-in user come from the root's loader, which React Router runs only when a
 * route matches — hence this catch-all instead of its built-in 404).
 */
export function loader({ request }: Route.LoaderArgs) {
  throw refusal(request, "notFoundText", 404);
}

/** Never shown (the loader always throws): a page route rather than a resource route, so that the root's error page renders. */
export default function NotFound() {
  return null;
}
