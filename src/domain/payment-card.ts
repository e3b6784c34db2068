// Both a real card prefix and the Luhn check are required: 13-digit epoch-millisecond
// timestamps and numeric ids start with 1 and would pass Luhn alone 10% of the time.

export const REDACTED_CARD = '<REDACTED_CARD>';

export function isCardNumber(digits: string): boolean {
  return (
    /^\d{13,19}$/.test(digits) && hasCardPrefix(digits) && passesLuhn(digits)
  );
}

function hasCardPrefix(d: string): boolean {
  const p2 = leadingNumber(d, 2);
  const p3 = leadingNumber(d, 3);
  const p4 = leadingNumber(d, 4);
  return (
    d[0] === '4' || // Visa
    (p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720) || // Mastercard
    p2 === 34 || p2 === 37 || // Amex
    p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || // Discover
    p2 === 35 || // JCB
    p2 === 36 || (p3 >= 300 && p3 <= 305) || p2 === 38 || p2 === 39 // Diners
  );
}

// Digit arithmetic instead of Number(slice): this runs for every group of long digit runs.
function leadingNumber(d: string, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) n = n * 10 + d.charCodeAt(i) - 48;
  return n;
}

function passesLuhn(d: string): boolean {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

// A run of digit groups joined by single spaces or dashes, never starting inside a word so that
// digit stretches in hex digests or uuids are not taken for cards. The end is checked in code:
// a trailing lookahead here would make the engine backtrack through every group (quadratic).
const DIGIT_RUN = /(?<![A-Za-z0-9])\d+(?:[ -]\d+)*/g;

export function redactCardsInText(text: string): string {
  return text.replace(DIGIT_RUN, (run: string, offset: number) => {
    const gluedToWord = /[A-Za-z]/.test(text[offset + run.length] ?? '');
    return redactRun(run.split(/([ -])/), gluedToWord);
  });
}

// Groups hold digits at even indexes and separators at odd ones. A card is searched at group
// boundaries rather than as the whole run, so a card written next to its CVV or expiry
// ("4111 1111 1111 1111 123") is still caught. A last group glued to letters is part of a word.
function redactRun(groups: string[], gluedToWord: boolean): string {
  const usable = gluedToWord ? groups.length - 1 : groups.length;
  let out = '';
  let i = 0;
  while (i < groups.length) {
    const end = i < usable ? longestCardFrom(groups, i, usable) : -1;
    if (end === -1) {
      out += (groups[i] ?? '') + (groups[i + 1] ?? '');
      i += 2;
      continue;
    }
    out += REDACTED_CARD + (groups[end + 1] ?? '');
    i = end + 2;
  }
  return out;
}

function longestCardFrom(groups: string[], start: number, limit: number): number {
  let digits = '';
  let found = -1;
  for (let j = start; j < limit && digits.length < 19; j += 2) {
    digits += groups[j] ?? '';
    // The first 4 digits fix the prefix; failing it early keeps long digit runs cheap.
    if (digits.length >= 4 && !hasCardPrefix(digits)) return -1;
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) found = j;
  }
  return found;
}
