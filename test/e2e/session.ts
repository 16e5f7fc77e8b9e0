import { DEMO_USERS } from "../../db/seed.ts";

/** Signs a demo user in over HTTP, as the login form does, and returns the session cookie ("bm_session=…"). */
export async function signIn(baseUrl: string, username: (typeof DEMO_USERS)[number]["username"]): Promise<string> {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: user.username, password: user.password, next: "/" }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  return cookie;
}

/** The cookie as playwright's addCookies wants it. */
export function browserCookie(baseUrl: string, cookie: string): { name: string; value: string; url: string } {
  const [name = "", ...value] = cookie.split("=");
  return { name, value: value.join("="), url: baseUrl };
}
