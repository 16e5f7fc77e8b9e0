import { data, Form, isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, Link, useLocation, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { languageOf, msg, translate, useT, type Language } from "./i18n";
import { authMiddleware, csrfMiddleware, requestMiddleware, userContext } from "./guard.server";
import { database } from "./db.server";
import { demoPasswordsInUse } from "../db/users";
import { roleAllows } from "../domain/permissions";
import { importableKinds } from "../features/import/rules/scope";
import { mayUndoAnyBatch } from "../domain/corrections";
import stylesheet from "./app.css?url";

export const middleware: Route.MiddlewareFunction[] = [requestMiddleware, csrfMiddleware, authMiddleware];

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { language, fromQuery } = languageOf(request);
  const headers = fromQuery ? { "Set-Cookie": `lang=${language}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` } : undefined;
  const user = context.get(userContext);
  const signedIn = user
    ? {
        username: user.username,
        displayName: user.displayName,
        unitName: user.unitName,
        isAdmin: roleAllows(user.roles, "administer"),
        canImport: importableKinds(user.roles).length > 0,
        // 导入记录: whoever imports or may undo an import (an administrator undoes, and imports nothing).
        canUndoImports: mayUndoAnyBatch(user.roles),
      }
    : null;
  const demoWarning = user ? await demoPasswordsInUse(await database()) : false;
  return data({ language, user: signedIn, demoWarning }, { headers });
}

export function Layout({ children }: { children: React.ReactNode }) {
  const { language } = useT();
  return (
    <html lang={language === "zh" ? "zh-CN" : "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function Header() {
  const { language, t, m } = useT();
  const location = useLocation();
  const root = useRouteLoaderData<typeof loader>("root");
  const user = root?.user ?? null;
  const params = new URLSearchParams(location.search);
  params.set("lang", language === "zh" ? "en" : "zh");
  return (
    <>
      <header className="app-header">
        <Link to="/" className="app-name">
          {t("appName")}
        </Link>
        <nav>
          {user && (
            <>
              <Link to="/">{t("navDashboard")}</Link>
              <Link to="/todo" data-testid="todo-link">
                {t("tdNav")}
              </Link>
              {user.canImport && <Link to="/import">{t("navImport")}</Link>}
              {(user.canImport || user.canUndoImports) && (
                <Link to="/imports" data-testid="imports-link">
                  {t("navImports")}
                </Link>
              )}
              <Link to="/plan/next">{t("navPlan")}</Link>
              <Link to="/standards">{t("navStandards")}</Link>
              <Link to="/drivers">{t("navDrivers")}</Link>
              <Link to="/tracking">{t("navTracking")}</Link>
              <Link to="/self-evaluations">{t("seNav")}</Link>
              <Link to="/rectification">{t("rcNav")}</Link>
              {user.isAdmin && <Link to="/admin">{t("administration")}</Link>}
              <Link to="/account" data-testid="current-user" className="nav-user" title={m(msg("userWithUnit", { name: user.displayName, unit: user.unitName }))}>
                {m(msg("userWithUnit", { name: user.displayName, unit: user.unitName }))}
              </Link>
              <Form method="post" action="/logout" className="inline-form">
                <button type="submit" className="link-button" data-testid="sign-out">
                  {t("signOut")}
                </button>
              </Form>
            </>
          )}
          <Link to={`${location.pathname}?${params.toString()}`} className="language-switch" data-testid="language-switch">
            {t("language")}
          </Link>
        </nav>
      </header>
      {root?.demoWarning && (
        <div className="demo-banner" role="alert" data-testid="demo-banner">
          {t("demoBanner")}
        </div>
      )}
    </>
  );
}

export default function App() {
  return (
    <>
      <Header />
      <main className="app-main">
        <Outlet />
      </main>
    </>
  );
}

/** Errors that no route caught (an unknown address among them) show in the page's layout, with the navigation. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language: pageLanguage } = useT();
  // The database down: the root loader did not run, so the answer's sentence tells the language.
  const unavailableIn = databaseUnavailableIn(error);
  const language = unavailableIn === "zh" || unavailableIn === "en" ? unavailableIn : pageLanguage;
  return (
    <>
      <Header />
      <main className="app-main">
        <ErrorMessage error={error} language={language} />
      </main>
    </>
  );
}

/** For a 503 of the database unreachable (app/db.server.ts): the language of its sentence, "both" when it has both. */
function databaseUnavailableIn(error: unknown): Language | "both" | undefined {
  if (!isRouteErrorResponse(error) || error.status !== 503 || typeof error.data !== "string") return undefined;
  const text = error.data as string;
  const zh = text.includes(translate("zh", "dbUnavailableText"));
  const en = text.includes(translate("en", "dbUnavailableText"));
  return zh && en ? "both" : zh ? "zh" : en ? "en" : undefined;
}

/**
 * A readable error page in the user's language: the title by status (404 not found, 403 no access,
 * 503 database unavailable, else an error), the refusal's own sentence when our code gave one, and a way back. React Router's
 * own 404 for an address no route matches (`internal`) says so in a sentence, not in its English text.
 */
export function ErrorMessage({ error, language }: { error: unknown; language: Language }) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // The database unreachable (app/db.server.ts databaseUnavailable): said in the page's language.
  const databaseDown = status === 503 && databaseUnavailableIn(error) !== undefined;
  const title = translate(language, status === 404 ? "notFoundPage" : status === 403 ? "forbidden" : databaseDown ? "dbUnavailable" : "error");
  const internal = isRouteErrorResponse(error) && (error as { internal?: boolean }).internal === true;
  const detail = databaseDown
    ? translate(language, "dbUnavailableText")
    : isRouteErrorResponse(error) && status === 403 && (typeof error.data !== "string" || error.data === "" || error.data === title)
      ? // Refused without a reason of its own: say what it means and what to do, not the title twice.
        translate(language, "forbiddenText")
    : internal
      ? translate(language, status === 404 ? "notFoundText" : "errorText")
      : isRouteErrorResponse(error)
        ? typeof error.data === "string" && error.data !== ""
          ? error.data
          : error.statusText
        : error instanceof Error
          ? error.message
          : "";
  return (
    <section className="error-page">
      <h1>{title}</h1>
      {detail && <p>{detail}</p>}
      <p>
        <Link to="/">{translate(language, "back")}</Link>
      </p>
    </section>
  );
}
