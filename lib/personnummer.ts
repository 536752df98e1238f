import Personnummer from 'personnummer';

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
