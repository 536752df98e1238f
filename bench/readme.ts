// `npm run bench:readme`: the README's benchmark table, made from bench/results.json (never typed).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { figureTable, type Figure } from './figures';

const ROOT = path.join(__dirname, '..');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function withTable(readme: string, results: { machine: Record<string, unknown>; figures: Figure[] }): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`the README has no ${START} … ${END} block`);
  const m = results.machine;
  const block = `${START}\n${m.mode} run, ${m.cpus}, ${m.memoryGb} GB, ${m.persistence}, ${m.seconds} s (bench/results.json):\n\n${figureTable(results.figures)}\n`;
  return `${readme.slice(0, from)}${block}${readme.slice(to)}`;
}

if (require.main === module) {
  const file = process.argv[2] ?? path.join(ROOT, 'bench', 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const readme = path.join(ROOT, 'README.md');
  writeFileSync(readme, withTable(readFileSync(readme, 'utf8'), results));
  process.stdout.write(`README.md: the benchmark table from ${path.relative(ROOT, file)}\n`);
}
