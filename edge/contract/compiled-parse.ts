import type { z } from 'zod';

/** What a compiled parser returns for a value its schema refuses. */
export const INVALID: unique symbol = Symbol('invalid');
export type CompiledParse<T> = (value: unknown) => T | typeof INVALID;
type Parse = CompiledParse<unknown>;

type Schema = z.core.$ZodType;
type Check = z.core.$ZodCheck<unknown>;
type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/** A parser built once per isolate from a zod schema, answering the schema's own `safeParse` for
 * valid values: the same output, or INVALID where the schema would report an issue (the caller
 * then asks zod, for the issues). Why: in Workers zod parses without code generation (it switches
 * its JIT off under Cloudflare's user agent, and eval is refused at request time), and its
 * interpreter allocates a payload and an issue list per value; the collector runs every event
 * through it. Types are checked here the way zod's own parsers check them (zod 4's
 * `schemas.js`); every check (lengths, patterns, refinements, formats) is zod's own check object,
 * run as zod runs it; any schema type not listed below is handed to zod whole. */
export function compileParse<T>(schema: z.ZodType<T>): CompiledParse<T> {
  return compile(schema as unknown as Schema, 'parse') as CompiledParse<T>;
}

/** Whether the schema's `safeParse` succeeds, without building its output where the output would
 * equal the value (for props, which are stored as they came). */
export function compileCheck(schema: z.ZodType): (value: unknown) => boolean {
  const check = compile(schema as unknown as Schema, 'check');
  return (value) => check(value) !== INVALID;
}

/** 'parse' returns zod's output; 'check' may return the value itself where zod's output would
 * equal it (see `keepsValue`), and otherwise the output. */
type Mode = 'parse' | 'check';

function compile(schema: Schema, mode: Mode): Parse {
  const zod = schema._zod;
  const def = zod.def as Def;
  // A format (email, ISO date-time) or a z.custom is itself a check, run before the schema's own.
  const checks = [...(zod.traits.has('$ZodCheck') ? [schema as unknown as Check] : []), ...((def.checks as Check[] | undefined) ?? [])];
  const checking = mode === 'check' && keepsValue(schema);
  const base = baseParse(schema, def, checking ? 'check' : 'parse');
  if (!base) return byZod(schema);
  return checks.length === 0 ? base : withChecks(base, checks);
}

/** Checks that only look at the value (a `.trim()` is an "overwrite" check and rewrites it). */
const LOOKING_CHECKS = new Set(['min_length', 'max_length', 'length_equals', 'less_than', 'greater_than', 'number_format', 'string_format', 'multiple_of', 'custom']);

/** Whether zod's output for a valid value equals the value: no defaults, no rewriting checks, no
 * stripped keys. Then checking needs no output, and a refinement sees an equal value. */
function keepsValue(schema: Schema): boolean {
  const def = schema._zod.def as Def;
  const checks = (def.checks as Check[] | undefined) ?? [];
  if (def.coerce || !checks.every((c) => LOOKING_CHECKS.has(c._zod.def.check))) return false;
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'unknown':
    case 'any':
    case 'custom':
    case 'enum':
      return true;
    case 'optional':
      return (def.innerType as Schema)._zod.optin !== 'defaulted' && keepsValue(def.innerType as Schema);
    case 'array':
      return keepsValue(def.element as Schema);
    case 'union':
      return (def.options as Schema[]).every(keepsValue);
    case 'object':
      return (
        (def as unknown as z.core.$ZodObjectDef).catchall?._zod.def.type === 'unknown' &&
        Object.getOwnPropertySymbols(def.shape).length === 0 &&
        Object.values(def.shape as Record<string, Schema>).every(keepsValue)
      );
    default:
      return false;
  }
}

/** The type's own parse (before checks), or null where zod's is not reproduced here. */
function baseParse(schema: Schema, def: Def, mode: Mode): Parse | null {
  switch (def.type) {
    case 'string':
      return def.coerce ? null : (v) => (typeof v === 'string' ? v : INVALID);
    case 'number':
      return def.coerce ? null : (v) => (typeof v === 'number' && Number.isFinite(v) ? v : INVALID);
    case 'boolean':
      return def.coerce ? null : (v) => (typeof v === 'boolean' ? v : INVALID);
    case 'unknown':
    case 'any':
    case 'custom':
      return (v) => v;
    case 'enum': {
      const values = (schema._zod as { values?: Set<unknown> }).values;
      return values ? (v) => (values.has(v) ? v : INVALID) : null;
    }
    case 'optional':
      return optionalParse(def.innerType as Schema, mode);
    case 'default':
      return defaultParse(def.innerType as Schema, def as unknown as { defaultValue: unknown });
    case 'array':
      return arrayParse(compile(def.element as Schema, mode), mode);
    case 'union':
      return unionParse((def.options as Schema[]).map((option) => compile(option, mode)));
    case 'object':
      return objectParse(def as unknown as z.core.$ZodObjectDef, mode);
    default:
      return null;
  }
}

/** zod itself, for a schema type not reproduced here. */
function byZod(schema: Schema): Parse {
  return (value) => {
    const result = schema._zod.run({ value, issues: [] }, { async: false });
    return result instanceof Promise || result.issues.length > 0 ? INVALID : result.value;
  };
}

/** zod's runChecks for a value whose type parsed: each check in order, skipped where its `when`
 * says so; the first issue makes the value invalid. A check may rewrite the value (overwrite). */
function withChecks(base: Parse, checks: readonly Check[]): Parse {
  const steps = checks.map((c) => ({ when: c._zod.def.when, check: c._zod.check }));
  return (value) => {
    const out = base(value);
    if (out === INVALID) return INVALID;
    const payload: z.core.ParsePayload = { value: out, issues: [] };
    for (const { when, check } of steps) {
      if (when && !when(payload)) continue;
      if (check(payload) instanceof Promise || payload.issues.length > 0) return INVALID;
    }
    return payload.value;
  };
}

function optionalParse(inner: Schema, mode: Mode): Parse {
  const parse = compile(inner, mode);
  // Only a defaulted inner schema makes something of absence (zod's $ZodOptional).
  const defaulted = inner._zod.optin === 'defaulted';
  return (v) => (v === undefined && !defaulted ? undefined : parse(v));
}

function defaultParse(inner: Schema, def: { defaultValue: unknown }): Parse {
  const parse = compile(inner, 'parse');
  return (v) => {
    if (v === undefined) return def.defaultValue;
    const out = parse(v);
    return out === undefined ? def.defaultValue : out;
  };
}

function arrayParse(element: Parse, mode: Mode): Parse {
  if (mode === 'check') {
    return (v) => {
      if (!Array.isArray(v)) return INVALID;
      for (let i = 0; i < v.length; i++) if (element(v[i]) === INVALID) return INVALID;
      return v;
    };
  }
  return (v) => {
    if (!Array.isArray(v)) return INVALID;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = element(v[i]);
      if (item === INVALID) return INVALID;
      out[i] = item;
    }
    return out;
  };
}

/** The first option that takes the value wins, as in zod's $ZodUnion. */
function unionParse(options: readonly Parse[]): Parse {
  return (v) => {
    for (const option of options) {
      const out = option(v);
      if (out !== INVALID) return out;
    }
    return INVALID;
  };
}

interface Field {
  key: string;
  parse: Parse;
  /** zod's optin and optout of the field's schema: what an absent key means. */
  optin: 'optional' | 'defaulted' | undefined;
  optional: boolean;
}

function objectParse(def: z.core.$ZodObjectDef, mode: Mode): Parse | null {
  const shape = def.shape as Record<string, Schema>;
  if (Object.getOwnPropertySymbols(shape).length > 0) return null;
  const catchall = def.catchall?._zod.def.type;
  // Strip (no catchall) and loose (unknown) are reproduced; strict and typed catchalls go to zod.
  if (catchall !== undefined && catchall !== 'unknown') return null;
  const fields: Field[] = Object.keys(shape)
    .filter((key) => key !== '__proto__')
    .map((key) => {
      const { optin, optout } = shape[key]!._zod;
      return { key, parse: compile(shape[key]!, mode), optin, optional: optout === 'optional' };
    });
  const known = new Set(Object.keys(shape));
  const loose = catchall === 'unknown';
  // Checking a loose object: an undeclared key is unknown() and always taken, so only the declared ones are read.
  const output = mode === 'parse';
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return INVALID;
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = output ? {} : input;
    // zod's handlePropertyResult, step for step.
    for (let i = 0; i < fields.length; i++) {
      const { key, parse, optin, optional } = fields[i]!;
      const present = key in input;
      if (!present && optional && optin === 'optional') continue;
      const value = parse(input[key]);
      if (value === INVALID) {
        if (!present && optional && optin !== undefined) continue;
        return INVALID;
      }
      if (!present && optin === undefined) return INVALID;
      if (!output) continue;
      if (value !== undefined) out[key] = value;
      else if (present || (optin === 'defaulted' && !optional)) out[key] = undefined;
    }
    if (output && loose) {
      for (const key in input) {
        // zod never copies an undeclared __proto__ (assigning it would replace the prototype).
        if (!known.has(key) && key !== '__proto__') out[key] = input[key];
      }
    }
    return out;
  };
}
