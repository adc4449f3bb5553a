import { JsonError } from './errors';

/** How the bytes of a JSON input were encoded. */
export type JsonEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' | 'text';

/** Decoded JSON text and the encoding it was read in. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: JsonEncoding;
}

/**
 * Turns the bytes of a JSON input into text. RFC 8259 section 8.1 asks for UTF-8; in practice files also
 * arrive with a UTF-8 byte-order mark (Windows editors) or as UTF-16 (PowerShell 5's `>` and `Out-File`
 * write UTF-16 LE with a BOM). So: a BOM decides (EF BB BF, FF FE, FE FF); without one, a NUL in the first
 * two bytes means UTF-16 (JSON text starts with an ASCII character, the detection of RFC 4627 section 3);
 * anything else is UTF-8. Invalid bytes are refused with their offset, never replaced by U+FFFD.
 * A string input is taken as already decoded; a leading U+FEFF is dropped.
 */
export function decodeJsonText(input: Uint8Array | string, file: string): DecodedText {
  if (typeof input === 'string') return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: 'text' };
  const b = input;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) {
    throw new JsonError(file, 'the file is UTF-32 (it starts with the UTF-32 LE byte-order mark); save it as UTF-8.', { line: 1, column: 1, offset: 0 }, 'encoding');
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: utf8(b.subarray(3), file, 3), encoding: 'utf-8 with BOM' };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { text: utf16(b.subarray(2), false, file), encoding: 'utf-16le' };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { text: utf16(b.subarray(2), true, file), encoding: 'utf-16be' };
  if (b.length >= 2 && b[0] !== 0 && b[1] === 0) return { text: utf16(b, false, file), encoding: 'utf-16le' };
  if (b.length >= 2 && b[0] === 0 && b[1] !== 0) return { text: utf16(b, true, file), encoding: 'utf-16be' };
  return { text: utf8(b, file, 0), encoding: 'utf-8' };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

function utf8(bytes: Uint8Array, file: string, skipped: number): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = lineOfByte(bytes, at);
    throw new JsonError(
      file,
      `byte ${at + skipped} (0x${bytes[at].toString(16).padStart(2, '0')}, line ${line}) is not valid UTF-8; save the file as UTF-8 (or UTF-16 with a byte-order mark).`,
      { line, column: 1, offset: at + skipped },
      'encoding',
    );
  }
}

function utf16(bytes: Uint8Array, bigEndian: boolean, file: string): string {
  if (bytes.length % 2 !== 0) {
    throw new JsonError(file, `the file looks like UTF-16 but has an odd number of bytes (${bytes.length}); it is cut short or not UTF-16. Save it as UTF-8.`, { line: 1, column: 1, offset: 0 }, 'encoding');
  }
  let data = bytes;
  if (bigEndian) {
    data = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 2) {
      data[i] = bytes[i + 1];
      data[i + 1] = bytes[i];
    }
  }
  try {
    return UTF16LE.decode(data);
  } catch {
    throw new JsonError(file, `the file looks like UTF-16 ${bigEndian ? 'BE' : 'LE'} but does not decode as it; save it as UTF-8.`, { line: 1, column: 1, offset: 0 }, 'encoding');
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (only called once decoding failed). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= b.length) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return Math.max(0, b.length - 1);
}

function lineOfByte(b: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) if (b[i] === 10 || (b[i] === 13 && b[i + 1] !== 10)) line++;
  return line;
}
