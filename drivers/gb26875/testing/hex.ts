/**
 * Bytes from a commented hex listing, for byte-commented tests:
 *   hex(`40 40  // start '@@'
 *        17 00  // serial 23`)
 * Everything after // on a line is a comment; the rest must be pairs of hex digits.
 */
export function hex(listing: string): Buffer {
  const digits = listing
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not a hex listing: ${digits}`);
  return Buffer.from(digits, 'hex');
}

/** The listing of a buffer, for failure messages. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ').toUpperCase();
}
