import { useEffect, useRef, type RefObject } from "react";

/**
 * A refusal is shown where the eye is (the form pages of the tracking form and the self-evaluation): the review
 * comment's field when the comment is what is missing, else the marked input that comes first on the form (in the
 * page's order, as the user reads it, whatever order the problems are listed in), else the refusal's text —
 * once the page has reloaded what was saved (a new draft's inputs are new elements).
 */
export function useRefusalFocus(
  result: { errors: Record<string, unknown> } | undefined,
  idle: boolean,
  highlight: readonly string[],
  refs: { comment: RefObject<HTMLTextAreaElement | null>; refusal: RefObject<HTMLElement | null> },
): void {
  const focusedFor = useRef<unknown>(null);
  useEffect(() => {
    if (!result || !idle || focusedFor.current === result) return;
    focusedFor.current = result;
    if (result.errors.comment && refs.comment.current) {
      refs.comment.current.focus();
      return;
    }
    const marked = highlight.map((name) => document.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`)).filter((element): element is HTMLElement => element !== null);
    // The first in the document: a node that follows another has DOCUMENT_POSITION_FOLLOWING from it.
    const first = marked.reduce<HTMLElement | null>((earliest, element) => (earliest === null || earliest.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING ? element : earliest), null);
    if (first) first.focus();
    else refs.refusal.current?.focus();
  }, [result, idle]); // eslint-disable-line react-hooks/exhaustive-deps
}
