/*
 * A small streaming XML tokenizer for the parts of an XLSX: it is fed decoded text in chunks of any
 * size and calls back for each start tag (name without namespace prefix, the raw attribute text),
 * end tag and piece of text. Text pieces are raw (entities undecoded): join them, then decodeXml.
 * Enough for SpreadsheetML, which has no DTDs, and fast because attributes are parsed only on request.
 */

export interface XmlHandler {
  /** Whether text is wanted now; when false, text is skipped without being sliced. */
  capturing: boolean;
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  text(raw: string): void;
}

export class XmlSyntaxError extends Error {}

export class XmlScanner {
  private carry = "";

  constructor(private readonly handler: XmlHandler) {}

  feed(chunk: string): void {
    const s = this.carry.length > 0 ? this.carry + chunk : chunk;
    const handler = this.handler;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const lt = s.indexOf("<", pos);
      if (lt === -1) {
        if (handler.capturing) handler.text(s.slice(pos));
        pos = n;
        break;
      }
      if (lt > pos && handler.capturing) handler.text(s.slice(pos, lt));
      pos = lt;
      const next = s.charCodeAt(lt + 1);
      if (next !== next) break; // "<" is the last character: wait for more
      if (next === 47 /* / */) {
        const gt = s.indexOf(">", lt);
        if (gt === -1) break;
        handler.close(localName(s.slice(lt + 2, gt).trim()));
        pos = gt + 1;
      } else if (next === 63 /* ? */) {
        const end = s.indexOf("?>", lt);
        if (end === -1) break;
        pos = end + 2;
      } else if (next === 33 /* ! */) {
        if (s.startsWith("<![CDATA[", lt)) {
          const end = s.indexOf("]]>", lt);
          if (end === -1) break;
          if (handler.capturing) handler.text(escapeXml(s.slice(lt + 9, end)));
          pos = end + 3;
        } else if (s.startsWith("<!--", lt)) {
          const end = s.indexOf("-->", lt);
          if (end === -1) break;
          pos = end + 3;
        } else {
          if (n - lt < 9) break;
          if (s.startsWith("<!DOCTYPE", lt) || s.startsWith("<!ENTITY", lt)) throw new XmlSyntaxError("DTDs are not allowed");
          const gt = s.indexOf(">", lt);
          if (gt === -1) break;
          pos = gt + 1;
        }
      } else {
        const gt = tagEnd(s, lt);
        if (gt === -1) break;
        let nameEnd = lt + 1;
        while (nameEnd < gt) {
          const c = s.charCodeAt(nameEnd);
          if (c === 32 || c === 47 || c === 9 || c === 10 || c === 13) break;
          nameEnd++;
        }
        const selfClosing = s.charCodeAt(gt - 1) === 47;
        const name = localName(s.slice(lt + 1, nameEnd));
        if (name.length === 0) throw new XmlSyntaxError(`bad tag at ${s.slice(lt, lt + 20)}`);
        handler.open(name, s.slice(nameEnd, selfClosing ? gt - 1 : gt), selfClosing);
        if (selfClosing) handler.close(name);
        pos = gt + 1;
      }
    }
    this.carry = pos < n ? s.slice(pos) : "";
    if (this.carry.length > 1024 * 1024 && this.carry.charCodeAt(0) === 60) throw new XmlSyntaxError("unterminated tag");
  }

  end(): void {
    if (this.carry.trim().length > 0 && this.carry.charCodeAt(0) === 60) throw new XmlSyntaxError("document ends inside a tag");
    this.carry = "";
  }
}

/**
 * The index of the ">" that ends the tag starting at lt (">" inside quoted attribute values skipped),
 * or -1. One pass: a tag of a million ">" inside quotes must not be rescanned once per ">".
 */
function tagEnd(s: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return -1;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

/** The value of one attribute in raw attribute text, decoded; undefined when absent. */
export function attribute(attributes: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = attributes.indexOf(name, from);
    if (at === -1) return undefined;
    const before = attributes.charCodeAt(at - 1);
    let i = at + name.length;
    while (attributes.charCodeAt(i) === 32) i++;
    if ((before === 32 || before === 9 || before === 10 || before === 13) && attributes.charCodeAt(i) === 61 /* = */) {
      i++;
      while (attributes.charCodeAt(i) === 32) i++;
      const quote = attributes[i];
      if (quote !== '"' && quote !== "'") return undefined;
      const close = attributes.indexOf(quote, i + 1);
      if (close === -1) return undefined;
      return decodeXml(attributes.slice(i + 1, close));
    }
    from = at + name.length;
  }
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and character references. */
export function decodeXml(raw: string): string {
  if (raw.indexOf("&") === -1) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body.charCodeAt(0) === 35) {
      const code = body.charCodeAt(1) === 120 ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body] ?? whole;
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/** Excel's escapes for control characters in strings: _x000D_ → "\r"; _x005F_ escapes a literal underscore. */
export function decodeExcelEscapes(text: string): string {
  if (text.indexOf("_x") === -1) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
