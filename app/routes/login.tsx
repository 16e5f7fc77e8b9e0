import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/login";
import { database } from "../db.server";
import { authenticate, createSession, deleteSession, purgeExpiredSessions, signInDelayedUntil } from "../../db/users";
import { safeRedirectTarget, sessionCookie, sessionToken } from "../session.server";
import { userContext } from "../guard.server";
import { requestLog } from "../log.server";
import { clientAddress, pause, REFUSAL_PAUSE_MS, signInGate } from "../security.server";
import { msg, useT, type Message } from "../i18n";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "signIn") }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const next = safeRedirectTarget(new URL(request.url).searchParams.get("next"));
  if (context.get(userContext)) throw redirect(next);
  return { next };
}

/** A refused sign-in: the same status and sentence whether or not the name exists. */
function refused(error: Message, username: string, status: number, retryAfterSeconds?: number) {
  const headers = retryAfterSeconds === undefined ? undefined : { "Retry-After": String(retryAfterSeconds) };
  return data({ error, username }, { status, headers });
}

const secondsUntil = (until: Date) => Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));

/*
 * Sign-in, in the order of what it costs: a client waiting after failures with this name is refused
 * first (nothing spent), then each client's allowance of attempts is taken, then the password is checked
 * (scrypt) when the gate gives a turn. Every refusal and failure is logged, never the password.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const log = requestLog(context);
  const form = await request.formData();
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const next = safeRedirectTarget(String(form.get("next") ?? "/"));
  if (!username || !password) return data({ error: msg("usrLoginMissing") as Message, username }, { status: 400 });
  const client = clientAddress(request);
  const shownName = username.slice(0, 64);

  const waiting = signInDelayedUntil(client, username);
  if (waiting) {
    log.warn({ event: "sign-in-delayed", username: shownName, client, until: waiting.toISOString() }, "sign-in delayed");
    return refused(msg("secSignInDelayed", { seconds: secondsUntil(waiting) }), username, 429, secondsUntil(waiting));
  }
  const throttled = signInGate.take(client);
  if (throttled) {
    log.warn({ event: "sign-in-throttled", client, retryAfter: throttled.retryAfterSeconds }, "sign-in throttled");
    await pause(REFUSAL_PAUSE_MS, request.signal);
    return refused(msg("secSignInThrottled", { seconds: throttled.retryAfterSeconds }), username, 429, throttled.retryAfterSeconds);
  }
  const db = await database();
  const result = await signInGate.run(() => authenticate(db, username, password, new Date(), client));
  if (result === "busy") {
    signInGate.refund(client);
    log.warn({ event: "sign-in-busy", client }, "sign-in refused: too many checks waiting");
    return refused(msg("secSignInBusy"), username, 503, 5);
  }
  if (!("userId" in result)) {
    if (result.reason === "locked") {
      log.warn({ event: "sign-in-failed", username: shownName, client, delayedUntil: result.until.toISOString() }, "sign-in failed; further attempts delayed");
      return refused(msg("secSignInDelayed", { seconds: secondsUntil(result.until) }), username, 429, secondsUntil(result.until));
    }
    log.warn({ event: "sign-in-failed", username: shownName, client }, "sign-in failed");
    return refused(msg("usrLoginInvalid"), username, 401);
  }
  signInGate.refund(client);
  // A new session at every sign-in (the old one, if any, ends): no session fixation.
  const previous = sessionToken(request);
  if (previous) await deleteSession(db, previous);
  await purgeExpiredSessions(db);
  const token = await createSession(db, result.userId);
  log.info({ event: "sign-in", userId: result.userId, username: shownName, client }, "signed in");
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
