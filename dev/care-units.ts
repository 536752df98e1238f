// Development only: readable Swedish names for the demo care units that `npm start`, the README and
// the tests use (CARE_UNIT_REGIONS' object form, docs/operations.md). Production names its own units.
export const DEV_CARE_UNITS: Record<string, { name: string }> = {
  'unit-1': { name: 'Vårdcentralen Norrmalm' },
  'unit-2': { name: 'Vårdcentralen Södermalm' },
  'unit-a': { name: 'Vårdcentralen Aspudden' },
  'unit-b': { name: 'Vårdcentralen Bagarmossen' },
  'unit-c': { name: 'Vårdcentralen Farsta' },
  'unit-f': { name: 'Hälsocentralen Fjällnäs' },
  'unit-h': { name: 'Hälsocentralen Hammarby' },
  'unit-s': { name: 'Tobaksmottagningen Solna' },
  'unit-w': { name: 'Vårdcentralen Västertorp' },
};
