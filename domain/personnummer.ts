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
 * Validates a personnummer or samordningsnummer and returns it as 12 digits (YYYYMMDDNNNC).
 * Returns null when it is not valid.
 */
export function normalisePersonnummer(input: string): string | null {
  if (typeof input !== 'string' || input.length > 20) return null;
  try {
    const pnr = Personnummer.parse(input.trim());
    return pnr.format(true).replace(/\D/g, '');
  } catch {
    return null;
  }
}
