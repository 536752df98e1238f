import { checkDigit } from '../../domain/personnummer';

// Test personnummer: fictitious, with a valid check digit (Luhn over YYMMDDNNN).
let serial = 100 + Math.floor(Math.random() * 800);

export function testPersonnummer(birth = '19850312'): string {
  serial = serial >= 998 ? 100 : serial + 1;
  return `${birth}${String(serial).padStart(3, '0')}${checkDigit(`${birth.slice(2)}${String(serial).padStart(3, '0')}`)}`;
}

/** A samordningsnummer: day of birth + 60. */
export function testSamordningsnummer(): string {
  return testPersonnummer('19850372');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The Swedish calendar date `days` from today (YYYY-MM-DD): for dates that must stay sensible whenever the suite runs. */
export function swedishDaysAhead(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + days * 86_400_000);
}
