/**
 * GB18030 bytes of text in the GBK repertoire, as Excel on Chinese Windows writes CSV. Node has a
 * GB18030 decoder but no encoder, so the two-byte table is built once by inverting the decoder.
 * Example: encodeGb18030("中文") → <Buffer d6 d0 ce c4>.
 */
export function encodeGb18030(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable().get(char);
      if (!pair) throw new Error(`“${char}” is not in GBK`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

let table: Map<string, number[]> | undefined;

function gbkTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder("gb18030");
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== "\ufffd" && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return table;
}
