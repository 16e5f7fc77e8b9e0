import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/login";
import { database } from "../db.server";
import { authenticate, createSession, deleteSession, purgeExpiredSessions } from "../../db/users";
import { safeRedirectTarget, sessionCookie, sessionToken } from "../session.server";
import { userContext } from "../guard.server";
import { languageOf, msg, useT, type Message } from "../i18n";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "signIn") }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const next = safeRedirectTarget(new URL(request.url).searchParams.get("next"));
  if (context.get(userContext)) throw redirect(next);
  return { next };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const next = safeRedirectTarget(String(form.get("next") ?? "/"));
  if (!username || !password) return data({ error: msg("usrLoginMissing") as Message, username }, { status: 400 });

  const db = await database();
  const result = await authenticate(db, username, password);
  if (!("userId" in result)) {
    const locale = languageOf(request).language === "en" ? "en-GB" : "zh-CN";
    const error =
      result.reason === "locked"
        ? msg("usrLoginLocked", { until: result.until.toLocaleString(locale, { timeZone: "Asia/Shanghai" }) })
        : msg("usrLoginInvalid");
    return data({ error, username }, { status: result.reason === "locked" ? 429 : 401 });
  }
  // A new session at every sign-in (the old one, if any, ends): no session fixation.
  const previous = sessionToken(request);
  if (previous) await deleteSession(db, previous);
  await purgeExpiredSessions(db);
  const token = await createSession(db, result.userId);
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(token, request) } });
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const navigation = useNavigation();
  return (
    <div className="login">
      <h1>{t("appName")}</h1>
      <Form method="post" className="login-form">
        <input type="hidden" name="next" value={loaderData.next} />
        <label>
          {t("username")}
          <input name="username" autoComplete="username" defaultValue={actionData?.username ?? ""} required autoFocus />
        </label>
        <label>
          {t("password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {actionData?.error && (
          <p className="form-error" role="alert">
            {m(actionData.error)}
          </p>
        )}
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("signIn")}
        </button>
      </Form>
    </div>
  );
}
