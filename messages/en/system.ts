import type { Mirror } from "../types";
import type { systemMessages as zh } from "../zh/system";

/** system: the database unavailable; values the database cannot store (NUL, amounts and dates out of range). */
export const systemMessages: Mirror<typeof zh> = {
  dbUnavailable: "Database unavailable",
  dbUnavailableText: "The database is unavailable at the moment and is being restarted. Try again in a minute; saved data is not lost.",
  amountOverLimit: "amount too large: “{text}” (an amount must be below 1 trillion yuan)",
  importTotalOverLimit: "From this row on, the amounts of the file add up to more than 100 trillion yuan, which cannot be imported: check the amounts and their unit (yuan or 10,000 yuan)",
  cellHasNul: "column {position} ({letter}) holds a NUL character (code 0x00), which cannot be stored: delete it from the file and import again (it often comes from exports of other systems)",
  dateOutOfRange: "date out of range: “{text}” (years {first} to {last})",
};
