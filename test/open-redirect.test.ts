import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { safeRedirectTarget } from "../app/session.server.ts";
import { startServer, type RunningServer } from "./e2e/server.ts";
import { signIn } from "./e2e/session.ts";

/*
 * Issue 17 §4: the sign-in page's `next` must never send anyone off the site — neither by GET (signed in,
 * /login?next=… redirects at once) nor by the POST of the form. Each variant is tried both ways and the
 * Location resolved as a browser would: it must stay on the server's origin.
 */

const HOSTILE = [
  "//evil.example",
  "///evil.example",
  "/.//evil.example/phish",
  "/././/evil.example",
  "/../..//evil.example",
  "/a/../..//evil.example",
  "/%2e//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/\\evil.example",
  "/\\\\evil.example",
  "/.\\\\evil.example",
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "/%2F%2Fevil.example",
  "/%2f/evil.example",
  "/.%2F%2Fevil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/ /evil.example",
  "/\u0000/evil.example",
  "https://evil.example",
  "http:evil.example",
  "https:/evil.example",
  "//evil.example@good",
  "/@evil.example",
  "javascript:alert(1)",
  "/javascript:alert(1)//",
  "data:text/html,<script>alert(1)</script>",
  "%2F%2Fevil.example",
  "\\\\evil.example",
  " //evil.example",
  "/．/evil.example",
  "/。//evil.example",
  "/\u3002/evil.example",
  "/\uff0f\uff0fevil.example",
  "/?next=//evil.example",
  "/#//evil.example",
];

/** Where a browser goes with this Location, from a page of `base`. */
function destination(location: string, base: string): URL {
  // Browsers strip tabs and newlines and treat backslashes as slashes in http(s) URLs; URL does the same.
  return new URL(location, base);
}

describe("the sign-in redirect target (function)", () => {
  it("keeps local paths with their query, and resolves dot segments", () => {
    expect(safeRedirectTarget("/projects/1?asOf=2024-08-31")).toBe("/projects/1?asOf=2024-08-31");
    expect(safeRedirectTarget("/a/./b/../c?x=//y")).toBe("/a/c?x=//y");
    expect(safeRedirectTarget("/plan/2025")).toBe("/plan/2025");
  });

  it("never returns a target that leaves the site", () => {
    for (const target of HOSTILE) {
      const result = safeRedirectTarget(target);
      expect(destination(result, "http://good.example/login").origin, JSON.stringify(target)).toBe("http://good.example");
      expect(result.startsWith("//") || result.startsWith("/\\"), JSON.stringify(target)).toBe(false);
    }
  });
});

describe("the sign-in redirect on the running server", () => {
  let server: RunningServer;
  let cookie: string;
  const tried: string[] = [];

  beforeAll(async () => {
    server = await startServer(inject("demoDatabaseUrl"));
    cookie = await signIn(server.baseUrl, "minhang.viewer");
  }, 120_000);
  afterAll(async () => {
    console.log(JSON.stringify({ probe: "open redirect", variants: tried.length }));
    await server?.stop();
  });

  const stays = (response: Response, variant: string, how: string) => {
    expect(response.status, `${how} ${JSON.stringify(variant)}`).toBe(302);
    const location = response.headers.get("location")!;
    expect(destination(location, `${server.baseUrl}/login`).origin, `${how} ${JSON.stringify(variant)} → ${location}`).toBe(server.baseUrl);
    expect(/^[/\\][/\\]/.test(location), `${how} ${JSON.stringify(variant)} → ${location}`).toBe(false);
  };

  it("redirects a signed-in GET /login?next=… only within the site", async () => {
    for (const variant of HOSTILE) {
      // Both the value encoded as a form would, and written raw into the URL as an attacker may.
      for (const query of [`next=${encodeURIComponent(variant)}`, `next=${variant.replace(/[#&\s\u0000]/g, encodeURIComponent)}`]) {
        const response = await fetch(`${server.baseUrl}/login?${query}`, { headers: { Cookie: cookie }, redirect: "manual" });
        tried.push(query);
        stays(response, variant, "GET");
      }
    }
  }, 120_000);

  it("redirects after a POST sign-in with next=… only within the site", async () => {
    for (const variant of HOSTILE.slice(0, 12)) {
      const response = await fetch(`${server.baseUrl}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: "minhang.viewer", password: "demo-viewer-2024", next: variant }),
      });
      tried.push(`POST ${variant}`);
      stays(response, variant, "POST");
    }
  }, 120_000);
});
