// The bundle the benchmark's worker runs: the engine's workflows and the baselines.
export * from '../workflows';
export * from './baseline-workflows';
