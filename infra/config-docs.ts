// What the settings' declaration (infra/config.ts) generates: docs/configuration.md and
// .env.example. Pure text; `npm run docs:config` writes the files, and
// test/config-declaration.test.ts fails when the committed ones differ.
import { z } from 'zod';
import { COMPOSE_SETTINGS, SETTINGS, type Setting } from './config';

/** The generated files, relative to the repository root. */
export const GENERATED_FILES = { doc: 'docs/configuration.md', envExample: '.env.example' } as const;

/** A setting's default fixed in its schema, as the environment would spell it; undefined when it has none. */
export function schemaDefault(s: Setting): string | undefined {
  return s.schema instanceof z.ZodDefault ? String(s.schema.def.defaultValue) : undefined;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
/** Markdown to plain text, for the env file: no code marks, links by their words. */
const plain = (text: string) => text.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');

function defaultCell(s: Setting): string {
  const fixed = schemaDefault(s);
  if (fixed !== undefined) return `\`${cell(fixed)}\``;
  return s.computedDefault ? cell(s.computedDefault) : '—';
}

const PRODUCTION = { required: 'required', api: 'required (API)' } as const;

function table(settings: Record<string, Setting>): string[] {
  return [
    '| variable | default | production | meaning |',
    '| --- | --- | --- | --- |',
    ...Object.entries(settings).map(([name, s]) => `| \`${name}\` | ${defaultCell(s)} | ${s.production ? PRODUCTION[s.production] : ''} | ${cell(s.description)} |`),
  ];
}

/** docs/configuration.md. */
export function configurationMarkdown(): string {
  return [
    '# Configuration',
    '',
    '<!-- Generated from the declaration in infra/config.ts by `npm run docs:config`: edit the declaration, not this file. -->',
    '',
    'Every setting is declared once, in `infra/config.ts` (`SETTINGS`): its schema with its default,',
    'what it means, and whether production requires it. From that declaration `loadConfig` reads and',
    'validates the environment once at start (a bad value stops the process with one line naming',
    'it), `npm run docs:config` writes this page and `.env.example`, and',
    '`test/config-declaration.test.ts` fails when either differs from the declaration, or when',
    '`deploy/compose.env.example` lacks a variable production requires or names one the declaration',
    'does not know. Reading the configuration creates nothing: an entry point makes the development',
    'secrets (`DATA_DIR/secrets`) at startup, before it reads the configuration.',
    '',
    'Settings are required only where they are used. **required**: a process with',
    '`NODE_ENV=production` refuses to start without it, naming every one missing. **required (API)**:',
    'so does a production process that serves the API (`npm run api`), and any API with',
    '`AUTH_MODE=production`; a worker running alone needs none of them.',
    '',
    '## The processes (`npm start`, `npm run worker`, `npm run api`)',
    '',
    ...table(SETTINGS),
    '',
    '## The compose file only',
    '',
    'Variables of `temporal-docker-compose.yml` that no process of ours reads: the compose file passes',
    'them to the servers it runs. `deploy/compose.env.example` lists them with the settings above that',
    'the compose file takes from its environment; **required** here: the compose file refuses to start',
    'without it.',
    '',
    ...table(COMPOSE_SETTINGS),
    '',
  ].join('\n');
}

/** .env.example: every variable the processes read, commented out at its default. */
export function envExample(): string {
  const lines = [
    '# Every variable the engine reads, commented out at its default (generated from the declaration',
    '# in infra/config.ts by `npm run docs:config`; docs/configuration.md explains each one).',
  ];
  for (const [name, s] of Object.entries(SETTINGS)) {
    const notes = [
      s.production ? `${PRODUCTION[s.production]} in production` : '',
      schemaDefault(s) === undefined && s.computedDefault ? `unset: ${plain(s.computedDefault)}` : '',
    ].filter(Boolean);
    lines.push('', `# ${plain(s.description)}${notes.length ? ` [${notes.join('; ')}]` : ''}`, `# ${name}=${schemaDefault(s) ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
