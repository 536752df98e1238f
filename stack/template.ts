// Renders the Temporal images' config templates as their entrypoints do (dockerize: Go
// text/template over the environment, `.Env.NAME`), so that the local stack configures the server
// and the UI server from the compose file's environment through the images' own templates.
// The subset those two templates use: if / else if / else / end, range, $variables, pipelines,
// parentheses, and the functions default, split, lower, trim, eq, ne, not, and, or, print.

type Value = string | boolean | string[] | undefined;

interface Scope { env: Record<string, string | undefined>; dot: Value; vars: Map<string, Value> }

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; expr: string }
  | { kind: 'if'; branches: Array<{ cond: string | null; body: Node[] }> }
  | { kind: 'range'; variable: string | null; expr: string; body: Node[] };

const truthy = (v: Value): boolean => (Array.isArray(v) ? v.length > 0 : Boolean(v));
const str = (v: Value): string => (v === undefined ? '<no value>' : Array.isArray(v) ? `[${v.join(' ')}]` : String(v));

/** Splits the text into text and actions, applying the `{{-` and `-}}` trim markers. */
function lex(source: string): Array<{ text?: string; action?: string }> {
  const out: Array<{ text?: string; action?: string }> = [];
  let rest = source;
  let trimNext = false;
  for (;;) {
    const open = rest.indexOf('{{');
    let text = open < 0 ? rest : rest.slice(0, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) { out.push({ text }); return out; }
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new Error('template: unclosed action');
    let action = rest.slice(open + 2, close);
    if (action.startsWith('-')) { text = text.replace(/\s+$/, ''); action = action.slice(1); }
    trimNext = action.endsWith('-');
    if (trimNext) action = action.slice(0, -1);
    out.push({ text }, { action: action.trim() });
    rest = rest.slice(close + 2);
  }
}

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ body: Node[]; node?: Node }> = [{ body: root }];
  const top = () => stack[stack.length - 1]!;
  for (const token of lex(source)) {
    if (token.text !== undefined) { if (token.text) top().body.push({ kind: 'text', text: token.text }); continue; }
    const action = token.action!;
    if (action.startsWith('/*')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^if\s+(.*)$/s.exec(action))) {
      const node: Node = { kind: 'if', branches: [{ cond: m[1]!, body: [] }] };
      top().body.push(node);
      stack.push({ body: node.branches[0]!.body, node });
    } else if ((m = /^else(?:\s+if\s+(.*))?$/s.exec(action))) {
      const frame = stack.pop()!;
      if (frame.node?.kind !== 'if') throw new Error('template: else outside if');
      const branch = { cond: m[1] ?? null, body: [] as Node[] };
      frame.node.branches.push(branch);
      stack.push({ body: branch.body, node: frame.node });
    } else if ((m = /^range\s+(?:(\$\w+)\s*:=\s*)?(.*)$/s.exec(action))) {
      const node: Node = { kind: 'range', variable: m[1] ?? null, expr: m[2]!, body: [] };
      top().body.push(node);
      stack.push({ body: node.body, node });
    } else if (action === 'end') {
      if (stack.length < 2) throw new Error('template: unmatched end');
      stack.pop();
    } else {
      top().body.push({ kind: 'expr', expr: action });
    }
  }
  if (stack.length !== 1) throw new Error('template: missing end');
  return root;
}

/** Tokens of one pipeline: strings, parenthesised groups, pipes and words. */
function tokens(expr: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== '"') j += expr[j] === '\\' ? 2 : 1;
      out.push(expr.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < expr.length; j += 1) {
        if (expr[j] === '(') depth += 1;
        else if (expr[j] === ')' && --depth === 0) break;
      }
      out.push(expr.slice(i, j + 1));
      i = j + 1;
    } else if (c === '|') {
      out.push('|');
      i += 1;
    } else {
      let j = i;
      while (j < expr.length && !/[\s|()]/.test(expr[j]!)) j += 1;
      out.push(expr.slice(i, j));
      i = j;
    }
  }
  return out;
}

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  // dockerize's argument order: the value first, then the default.
  default: (value, fallback) => (truthy(value) ? value : fallback),
  split: (s, sep) => str(s).split(str(sep)),
  lower: (s) => str(s).toLowerCase(),
  trim: (s) => str(s).trim(),
  eq: (a, ...others) => others.some((o) => o === a),
  ne: (a, b) => a !== b,
  not: (a) => !truthy(a),
  and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
  print: (...args) => args.map((a) => str(a)).join(''),
};

function operand(token: string, scope: Scope): Value {
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (token.startsWith('(')) return evaluate(token.slice(1, -1), scope);
  if (token === '.') return scope.dot;
  if (token.startsWith('.Env.')) return scope.env[token.slice(5)];
  if (token.startsWith('$')) return scope.vars.get(token);
  if (token === 'true' || token === 'false') return token === 'true';
  throw new Error(`template: unknown operand ${token}`);
}

function evaluate(expr: string, scope: Scope): Value {
  const assign = /^(\$\w+)\s*:=\s*(.*)$/s.exec(expr);
  if (assign) { scope.vars.set(assign[1]!, evaluate(assign[2]!, scope)); return ''; }
  const all = tokens(expr);
  const commands: string[][] = [[]];
  for (const t of all) { if (t === '|') commands.push([]); else commands[commands.length - 1]!.push(t); }
  let piped: Value | typeof NONE = NONE;
  for (const command of commands) {
    const [head, ...rest] = command;
    if (head === undefined) throw new Error(`template: empty command in ${expr}`);
    const fn = FUNCTIONS[head];
    if (fn) {
      const args = rest.map((t) => operand(t, scope));
      piped = fn(...(piped === NONE ? args : [...args, piped]));
    } else {
      if (rest.length > 0 || piped !== NONE) throw new Error(`template: unknown function ${head}`);
      piped = operand(head, scope);
    }
  }
  return piped === NONE ? undefined : piped;
}
const NONE = Symbol('none');

function render(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'expr') {
      const isAssignment = /^\$\w+\s*:=/.test(node.expr);
      const value = evaluate(node.expr, scope);
      if (!isAssignment) out += value === undefined ? '' : str(value);
    } else if (node.kind === 'if') {
      const branch = node.branches.find((b) => b.cond === null || truthy(evaluate(b.cond, scope)));
      if (branch) out += render(branch.body, scope);
    } else {
      const items = evaluate(node.expr, scope);
      for (const item of Array.isArray(items) ? items : []) {
        if (node.variable) scope.vars.set(node.variable, item);
        out += render(node.body, { ...scope, dot: item });
      }
    }
  }
  return out;
}

/** Renders a dockerize template with `.Env` taken from env (unset and empty are the same to `default`). */
export function renderDockerizeTemplate(source: string, env: Record<string, string | undefined>): string {
  return render(parse(source), { env, dot: undefined, vars: new Map() });
}
