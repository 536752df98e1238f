// The benchmark's figures, machine-readable (bench/results.json), and the one Markdown table made
// from them: the benchmark prints it, and `npm run bench:readme` puts it into the README.
export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  spread?: [number, number];
  detail?: Record<string, unknown>;
  /** What the figure is measured against in the same run, when there is a bare equivalent. */
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  target: string | null;
}

const f = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(Math.abs(x) < 10 ? 2 : 0));

export function figureTable(figures: Figure[]): string {
  return [
    '| figure | value | baseline | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    ...figures.map((x) => `| ${x.name} | ${f(x.value)} ${x.unit}${x.spread ? ` [${f(x.spread[0])}–${f(x.spread[1])}]` : ''} | ${x.baseline ? `${x.baseline.name}: ${f(x.baseline.value)}` : ''} | ${x.ratio === null ? '' : f(x.ratio)} | ${x.target ?? ''} |`),
  ].join('\n');
}
