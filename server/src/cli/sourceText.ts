/** Bytes on disk to analyzable text and back, keeping what the fixes must not change: BOM and line endings. */

export interface DecodedSource {
  /** The text without its byte order mark, as editors show it. */
  text: string;
  hasBom: boolean;
  /** True when every line ends in CRLF, so lines that fixes insert must too. */
  crlf: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The file's text, or why it cannot be analyzed safely. */
export function decodeSource(bytes: Uint8Array): DecodedSource | { error: string } {
  const hasBom = bytes.length >= 3 && UTF8_BOM.every((byte, index) => bytes[index] === byte);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(hasBom ? bytes.subarray(3) : bytes);
  } catch {
    return { error: 'not valid UTF-8; left untouched' };
  }
  if (text.includes('\u0000')) return { error: 'looks binary (contains NUL bytes); left untouched' };
  return { text, hasBom, crlf: usesOnlyCrlf(text) };
}

function usesOnlyCrlf(text: string): boolean {
  let sawCrlf = false;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
    if (text[index - 1] !== '\r') return false;
    sawCrlf = true;
  }
  return sawCrlf;
}

/** Bytes for fixed text: the original BOM, and CRLF for any bare LF a fix wrote into a CRLF file. */
export function encodeSource(text: string, original: DecodedSource): Buffer {
  const withEndings = original.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  const body = Buffer.from(withEndings, 'utf8');
  return original.hasBom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}
