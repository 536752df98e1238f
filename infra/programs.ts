// Programs are data: modules, forms, end reasons and durations live in programs/*.json, and a
// deployment (or a test) may deep-merge overrides into them by id through PROGRAM_OVERRIDES.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { programSchema, type Program } from '../domain/program';

export type { Program, ProgramForm, ProgramModule } from '../domain/program';

type Json = unknown;

const hasId = (v: unknown): v is { id: string } => isPlainObject(v) && typeof v.id === 'string';

/**
 * Objects merge key by key. Arrays of objects with ids (modules, forms, questions) merge element
 * by id, so an override can change one module; new ids are appended. Other arrays and scalars in
 * the override replace the base.
 */
export function deepMerge(base: Json, override: Json): Json {
  if (Array.isArray(base) && Array.isArray(override) && base.every(hasId) && override.every(hasId)) {
    const merged = base.map((b) => {
      const o = override.find((x) => x.id === b.id);
      return o ? deepMerge(b, o) : b;
    });
    return [...merged, ...override.filter((o) => !base.some((b) => b.id === o.id))];
  }
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
      out[key] = key in base ? deepMerge(base[key], value) : value;
    }
    return out;
  }
  return override === undefined ? base : override;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const PROGRAMS_DIR = path.join(__dirname, '..', 'programs');

export function loadPrograms(overridesFile?: string, dir = PROGRAMS_DIR): Map<string, Program> {
  const raw: Record<string, unknown> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { id?: string };
    raw[data.id ?? path.basename(file, '.json')] = data;
  }
  if (overridesFile) {
    const overrides = JSON.parse(readFileSync(overridesFile, 'utf8')) as Record<string, unknown>;
    for (const [id, override] of Object.entries(overrides)) {
      if (!(id in raw)) throw new Error(`PROGRAM_OVERRIDES names an unknown program "${id}"`);
      raw[id] = deepMerge(raw[id], override);
    }
  }
  const programs = new Map<string, Program>();
  for (const [id, data] of Object.entries(raw)) {
    const parsed = programSchema.safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(`program "${id}" is invalid at ${first?.path.join('.')}: ${first?.message}`);
    }
    programs.set(id, parsed.data);
  }
  return programs;
}
