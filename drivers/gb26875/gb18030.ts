/**
 * Text fields are GB 18030-2005 (GB/T 26875.3-2011 §8.2.1.2, .6, .7, .11): the 31-byte component
 * description and the L-byte configuration texts. iconv-lite (pure JS) does both directions, so
 * the codec does not depend on how much ICU the Node build on the gateway carries.
 */
import iconv from 'iconv-lite';

/**
 * Text from a field. Cut at the first NUL — panels leave stale bytes after it (see the DGIOT
 * sample frame "1号接口板1回路1号\0号主机…" in gb18030.test.ts) — then trailing ASCII and ideographic
 * spaces are dropped (the transcription's example pads with 0x20). Bytes that are not GB 18030
 * become U+FFFD: a garbled description must never cost the alarm it came with.
 */
export function decodeGbText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const text = iconv.decode(Buffer.from(bytes.subarray(0, nul === -1 ? bytes.length : nul)), 'gb18030');
  return text.replace(/[ \u3000]+$/u, '');
}

export function gb18030ByteLength(text: string): number {
  return iconv.encode(text, 'gb18030').length;
}

/**
 * At most `max` bytes of `text`, cut after the last whole character that fits (a Chinese
 * character is 2 bytes, a rare one 4: half a character would show as garbage at the centre).
 * Callers that must not lose text check gb18030ByteLength first; the site-file validator does.
 */
export function encodeGbTextUpTo(text: string, max: number): Buffer {
  const whole = iconv.encode(text, 'gb18030');
  if (whole.length <= max) return whole;
  const parts: Buffer[] = [];
  let used = 0;
  for (const ch of text) {
    const b = iconv.encode(ch, 'gb18030');
    if (used + b.length > max) break;
    parts.push(b);
    used += b.length;
  }
  return Buffer.concat(parts, used);
}

/** Exactly `size` bytes: the text (cut as encodeGbTextUpTo cuts) padded with NULs. */
export function encodeGbTextField(text: string, size: number): Buffer {
  const field = Buffer.alloc(size);
  encodeGbTextUpTo(text, size).copy(field);
  return field;
}
