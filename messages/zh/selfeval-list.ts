/** selfeval-list: messages in Chinese (the reference catalogue; English mirrors its keys and placeholders). */
export const selfevalListMessages = {
  // Self-evaluation lists, export and summaries (issue 14)
};
