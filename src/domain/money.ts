// One exact money unit for the whole domain (fixes B20: the reference mixed float cents, integer
// cents and numeric USD, and truncated step costs). Amounts are bigint micro-cents; no floating
// point arithmetic touches them, decimal strings are parsed digit by digit.

export const MICROCENTS_PER_CENT = 1_000_000n;
// 1 cent = 10^6 micro-cents and 1 USD = 10^8 micro-cents.
const CENT_DECIMALS = 6;
const USD_DECIMALS = 8;
const MAX_CENTS = 9_000_000_000_000n;
const MAX_MICROCENTS = MAX_CENTS * MICROCENTS_PER_CENT; // still fits a signed 64-bit column

export function parseCents(input: string | number): bigint {
  return parseAmount(input, CENT_DECIMALS, 'cents');
}

export function formatCents(micro: bigint): string {
  return formatScaled(micro, CENT_DECIMALS);
}

export function usdToMicrocents(usd: string | number): bigint {
  return parseAmount(usd, USD_DECIMALS, 'USD');
}

export function microcentsToUsd(micro: bigint): string {
  return formatScaled(micro, USD_DECIMALS);
}

function parseAmount(input: string | number, decimals: number, unit: string): bigint {
  const text = typeof input === 'number' ? plainNumberText(input, unit) : input.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`invalid ${unit} amount "${String(input)}": expected a decimal number`);
  const [, sign = '', whole = '', rawFraction = ''] = m;
  // Trailing zeros add no precision, so "1.50000000" is as exact as "1.5".
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > decimals) {
    throw new RangeError(`invalid ${unit} amount "${String(input)}": at most ${decimals} decimal places`);
  }
  // Cents carry 6 decimals and USD 8, so in both units the scaled digits are micro-cents.
  const micro = BigInt(whole + fraction.padEnd(decimals, '0'));
  if (sign === '-' && micro !== 0n) {
    throw new RangeError(`invalid ${unit} amount "${String(input)}": cost cannot be negative`);
  }
  if (micro > MAX_MICROCENTS) {
    throw new RangeError(`invalid ${unit} amount "${String(input)}": exceeds ${MAX_CENTS} cents`);
  }
  return micro;
}

// String(n) may use exponent form (1.5e-7, 1e+21); rewrite it as a plain decimal so the digits,
// not a float computation, decide the value.
function plainNumberText(n: number, unit: string): string {
  if (!Number.isFinite(n)) throw new RangeError(`invalid ${unit} amount ${n}: must be finite`);
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign = '', lead = '', rest = '', expText = '0'] = m;
  const digits = lead + rest;
  const point = 1 + Number(expText); // position of the decimal point within digits
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function formatScaled(micro: bigint, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
