import Personnummer from 'personnummer';

/** The Luhn check digit of the nine digits YYMMDDNNN. */
export function checkDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Validates a personnummer or samordningsnummer and returns it as 12 digits (YYYYMMDDNNNC), or
 * null. Only the 12-digit form is accepted (YYYYMMDD-NNNC, YYYYMMDDNNNC): the 10-digit form makes
 * the century a guess, and a centenarian would become another person. A birth date in the future
 * (`today`: YYYYMMDD in Sweden) is refused.
 */
export function normalisePersonnummer(input: string, today?: string): string | null {
  if (typeof input !== 'string' || input.length > 20) return null;
  const trimmed = input.trim();
  if (!/^\d{8}[-+]?\d{4}$/.test(trimmed)) return null;
  try {
    const pnr = Personnummer.parse(trimmed);
    const digits = pnr.format(true).replace(/\D/g, '');
    // A samordningsnummer's day is the birth day + 60.
    const day = Number(digits.slice(6, 8));
    const birth = `${digits.slice(0, 6)}${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
    if (today && birth > today) return null;
    return digits;
  } catch {
    return null;
  }
}
