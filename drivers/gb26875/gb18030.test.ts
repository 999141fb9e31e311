import { describe, expect, it } from 'vitest';
import { decodeGbText, encodeGbTextField, encodeGbTextUpTo, gb18030ByteLength } from './gb18030.js';

describe('GB 18030 text fields', () => {
  it('encodes 1号楼3层烟感 in 12 bytes, NUL-padded to the 31-byte field', () => {
    const field = encodeGbTextField('1号楼3层烟感', 31);
    // 1=31 号=BA C5 楼=C2 A5 3=33 层=B2 E3 烟=D1 CC 感=B8 D0, then 19 NULs
    expect(field.subarray(0, 12)).toEqual(Buffer.from('31BAC5C2A533B2E3D1CCB8D0', 'hex'));
    expect(field.subarray(12)).toEqual(Buffer.alloc(19));
    expect(decodeGbText(field)).toBe('1号楼3层烟感');
  });

  it('agrees with the platform’s own GB 18030 decoder', () => {
    const bytes = encodeGbTextUpTo('消防控制室图形显示装置', 255);
    expect(new TextDecoder('gb18030').decode(bytes)).toBe('消防控制室图形显示装置');
  });

  it('cuts at a character boundary, never inside a character', () => {
    // 16 two-byte characters = 32 bytes; 31 would split the 16th: keep 15 (30 bytes) + 1 NUL
    const text = '一二三四五六七八九十甲乙丙丁戊己';
    const field = encodeGbTextField(text, 31);
    expect(field.length).toBe(31);
    expect(field[30]).toBe(0);
    expect(decodeGbText(field)).toBe('一二三四五六七八九十甲乙丙丁戊');
    // a four-byte character (U+20BB7 𠮷) that does not fit is left out whole
    expect(encodeGbTextUpTo('ab𠮷', 5)).toEqual(Buffer.from('ab'));
    expect(gb18030ByteLength('ab𠮷')).toBe(6);
  });

  it('stops at the first NUL: panels leave stale bytes behind it', () => {
    // From DGIOT's sample type-2 frame (dgiot_gb26875_decoder.erl): "1号接口板1回路1号", NUL, then "号主机…" left over
    const field = Buffer.from('31bac5bdd3bfdab0e531bbd8c2b731bac500bac5d6f7bbfaf898cfa0000000', 'hex');
    expect(decodeGbText(field)).toBe('1号接口板1回路1号');
  });

  it('drops trailing ASCII and ideographic spaces', () => {
    expect(decodeGbText(Buffer.from([0x41, 0x20, 0x20, 0xa1, 0xa1, 0x00]))).toBe('A'); // A, 2 spaces, U+3000 (A1 A1), NUL
    expect(decodeGbText(Buffer.alloc(31, 0x20))).toBe('');
  });

  it('shows bytes that are not GB 18030 as U+FFFD instead of failing', () => {
    expect(decodeGbText(Buffer.from([0x41, 0xff]))).toMatch(/^A\uFFFD/);
  });
});
