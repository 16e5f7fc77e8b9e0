import type { Mirror } from "../types";
import type { selfevalListMessages as zh } from "../zh/selfeval-list";

/** selfeval-list: messages in English. */
export const selfevalListMessages: Mirror<typeof zh> = {
  // Self-evaluation lists, export and summaries (issue 14)
};
