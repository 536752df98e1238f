// Välj vårdenhet: a clinician with several care units chooses the one to work in, by name, after
// sign-in (in place of the page asked for, which then shows) and again through Byt vårdenhet in the
// header. Mina patienter, Flaggor and Statistik follow the chosen unit.
import { useEffect } from 'react';
import { chooseCareUnit } from '../../auth';
import { ErrorText } from '../../components/ErrorText';
import { useCareUnits, useChosenCareUnit } from '../../lib/care-units';

export function ChooseCareUnitPage({ careUnits, onChosen }: { careUnits: string[]; onChosen?: () => void }) {
  useEffect(() => { document.title = 'Välj vårdenhet – Tobakshjälpen'; }, []);
  const { units, nameOf } = useCareUnits();
  const current = useChosenCareUnit();
  const choose = (unit: string) => { chooseCareUnit(unit); onChosen?.(); };
  return (
    <div className="narrow">
      <h1>Välj vårdenhet</h1>
      <p>
        Du arbetar på flera vårdenheter. Välj den du vill arbeta på nu: Mina patienter, Flaggor och Statistik visar den vårdenhetens patienter.
        Du kan byta när som helst med <strong>Byt vårdenhet</strong> överst på sidan.
      </p>
      {units.error && <ErrorText error={units.error} />}
      {units.isPending ? <p role="status">Hämtar dina vårdenheter …</p> : (
        <ul className="unit-choices">
          {careUnits.map((unit) => (
            <li key={unit}>
              <button type="button" className={unit === current ? 'primary' : undefined} aria-current={unit === current ? 'true' : undefined} onClick={() => choose(unit)}>
                {nameOf(unit)}
              </button>
              {unit === current && <span className="muted"> (vald nu)</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
