import { data, isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, Link, useLocation } from "react-router";
import type { Route } from "./+types/root";
import { languageOf, translate, useT, type Language } from "./i18n";
import stylesheet from "./app.css?url";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: Route.LoaderArgs) {
  const { language, fromQuery } = languageOf(request);
  const headers = fromQuery ? { "Set-Cookie": `lang=${language}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` } : undefined;
  return data({ language }, { headers });
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
  const { language, t } = useT();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  params.set("lang", language === "zh" ? "en" : "zh");
  return (
    <header className="app-header">
      <Link to="/" className="app-name">
        {t("appName")}
      </Link>
      <nav>
        <Link to={`${location.pathname}?${params.toString()}`} className="language-switch" data-testid="language-switch">
          {t("language")}
        </Link>
      </nav>
    </header>
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

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}

/** A readable error page: 404s say what was not found, other errors say what went wrong. */
export function ErrorMessage({ error, language }: { error: unknown; language: Language }) {
  const title = isRouteErrorResponse(error) && error.status === 404 ? translate(language, "notFoundPage") : translate(language, "error");
  const detail = isRouteErrorResponse(error) ? String(error.data ?? error.statusText) : error instanceof Error ? error.message : "";
  return (
    <main className="app-main error-page">
      <h1>{title}</h1>
      {detail && <p>{detail}</p>}
      <p>
        <Link to="/">{translate(language, "back")}</Link>
      </p>
    </main>
  );
}
