// timestamptz as the driver receives it (text, e.g. "2026-10-02 12:34:56.789+00") → Date, read
// digit by digit. pg's default parser (postgres-date) runs three regular expressions per value:
// with several timestamps per step row it was ~3–5 % of a page's CPU.
import pg from 'pg';

export const TIMESTAMPTZ_OID = 1184;
/** pg's own parser (postgres-date), for the forms the fast path leaves alone. */
const parseTimestampText = pg.types.getTypeParser(TIMESTAMPTZ_OID) as (text: string) => Date | number | null;

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const two = (text: string, i: number) => digit(text, i) * 10 + digit(text, i + 1);
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * The common form — a four-digit year from 1000 on, seconds, an optional fraction and an offset
 * of whole hours or hours and minutes — parsed directly; anything else (BC, infinity, years
 * before 1000, offsets with seconds) by postgres-date, so every value parses as it always did.
 */
export function parseTimestamptz(text: string): Date | number | null {
  const n = text.length;
  if (n < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(19) === 32) return parseTimestampText(text);
  const year = two(text, 0) * 100 + two(text, 2);
  // Offset: "+HH" or "+HH:MM" at the end.
  let end = n - 3;
  let offsetMinutes: number;
  if (text.charCodeAt(n - 3) === 58) {
    end = n - 6;
    offsetMinutes = two(text, n - 5) * 60 + two(text, n - 2);
  } else {
    offsetMinutes = two(text, n - 2) * 60;
  }
  const sign = text.charCodeAt(end);
  if ((sign !== 43 && sign !== 45) || year < 1000 || !isDigit(text.charCodeAt(end + 1))) return parseTimestampText(text);
  let ms = 0;
  if (end > 19) {
    if (text.charCodeAt(19) !== 46) return parseTimestampText(text);
    // Milliseconds from the first three fraction digits; more digits are below a Date's precision
    // (postgres-date rounds them the same way: 1000 × 0.fraction, kept to the millisecond).
    const fraction = text.slice(20, end);
    ms = Math.floor(1000 * Number(`0.${fraction}`));
  }
  const utc = Date.UTC(year, two(text, 5) - 1, two(text, 8), two(text, 11), two(text, 14), two(text, 17), ms);
  return new Date(utc - (sign === 45 ? -offsetMinutes : offsetMinutes) * 60_000);
}
