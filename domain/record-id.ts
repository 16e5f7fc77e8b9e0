/**
 * A database id (or version) from a form or URL: 1–9 digits, so that it fits an integer column; anything
 * else is null and the route answers 400/404 instead of sending it to PostgreSQL. recordId("12") → 12,
 * recordId("99999999999") → null, recordId("1e3") → null.
 */
export function recordId(text: string | null | undefined): number | null {
  if (!text || !/^\d{1,9}$/.test(text)) return null;
  const id = Number(text);
  return id > 0 ? id : null;
}
