/** Blank: null, undefined or only white space. */
export const blank = (text: string | null | undefined): boolean => text === null || text === undefined || text.trim() === "";

/** An amount typed in, or "0" when left blank. */
export const amountOrZero = (amount: string | null): string => (amount === null || blank(amount) ? "0" : amount);
