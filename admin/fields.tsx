// Form fields bound to a path in the document being edited (a campaign), each with the server's
// error for that path shown beside it. Every value is rendered as text or as an input's value,
// never as markup.
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { T } from './i18n';

export type Path = (string | number)[];

/** The server's path format (edge/lib/zod-issues.ts): `campaigns[0].variants[0].id`. */
export const pathKey = (path: Path): string => path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');

type Node = Record<string | number, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (isNode(node) ? node[key] : undefined), value);
}

/** A copy of `value` with `next` at `path`; missing or null objects on the way are created, so a
 * nullable object (an audience's `points_expiring`) can be filled in field by field. */
export function setAt<V>(value: V, path: Path, next: unknown): V {
  const copy = structuredClone(value);
  let node = copy as unknown as Node;
  path.slice(0, -1).forEach((key, i) => {
    if (!isNode(node[key])) node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Node;
  });
  node[path[path.length - 1]!] = next;
  return copy;
}

export const asString = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
export const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export interface Editing {
  value: unknown;
  update(path: Path, value: unknown): void;
  /** Server errors by the server's path key; `prefix` is where `value` sits in the saved document. */
  errors: Map<string, string>;
  prefix: Path;
  t: T;
  /** Words for option values (stages, devices, ...). */
  optionLabel(option: string): string;
}
export const EditingContext = createContext<Editing>(null as never);
export const useEditing = () => useContext(EditingContext);

const fieldId = (path: Path) => `f-${pathKey(path).replace(/[^a-zA-Z0-9_-]/g, '-')}`;

function errorOf(errors: Map<string, string>, key: string, under = true): string | undefined {
  return errors.get(key) ?? (under ? [...errors].find(([k]) => k.startsWith(`${key}.`) || k.startsWith(`${key}[`))?.[1] : undefined);
}

/** A label, the input, and the error for `path` (or any path under it) next to it. */
export function Field({ path, label, children, inline = false }: { path: Path; label: string; children: ComponentChildren; inline?: boolean }) {
  const { errors, prefix } = useEditing();
  const key = pathKey([...prefix, ...path]);
  const error = errorOf(errors, key);
  return (
    <div class={`field${inline ? ' field-inline' : ''}${error ? ' field-invalid' : ''}`}>
      <label for={fieldId(path)}>{label}</label>
      {children}
      {error ? (
        <p class="field-error" id={`${fieldId(path)}-error`} data-error-for={key} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function useInvalid(path: Path) {
  const { errors, prefix } = useEditing();
  const invalid = errors.has(pathKey([...prefix, ...path]));
  return { 'aria-invalid': invalid || undefined, 'aria-describedby': invalid ? `${fieldId(path)}-error` : undefined };
}

export function TextInput({ path, label, nullable = false, multiline = false, placeholder }: { path: Path; label: string; nullable?: boolean; multiline?: boolean; placeholder?: string }) {
  const { value, update } = useEditing();
  const invalid = useInvalid(path);
  const onInput = (e: Event) => {
    const text = (e.currentTarget as HTMLInputElement).value;
    update(path, nullable && text === '' ? null : text);
  };
  const common = { id: fieldId(path), value: asString(getAt(value, path)), onInput, placeholder, ...invalid };
  return <Field path={path} label={label}>{multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}</Field>;
}

export function NumberInput({ path, label, nullable = false }: { path: Path; label: string; nullable?: boolean }) {
  const { value, update, t } = useEditing();
  const invalid = useInvalid(path);
  const current = getAt(value, path);
  return (
    <Field path={path} label={label}>
      <input
        id={fieldId(path)}
        type="number"
        inputMode="decimal"
        value={typeof current === 'number' || typeof current === 'string' ? current : ''}
        placeholder={nullable ? t('none') : undefined}
        {...invalid}
        onInput={(e) => {
          const text = e.currentTarget.value;
          // An unparsable number is sent as written, so the server names the problem beside it.
          update(path, text === '' ? (nullable ? null : '') : Number.isNaN(Number(text)) ? text : Number(text));
        }}
      />
    </Field>
  );
}

export function Checkbox({ path, label }: { path: Path; label: string }) {
  const { value, update } = useEditing();
  return (
    <Field path={path} label={label} inline>
      <input id={fieldId(path)} type="checkbox" checked={getAt(value, path) === true} onChange={(e) => update(path, e.currentTarget.checked)} />
    </Field>
  );
}

export function Select({ path, label, options, onChange }: { path: Path; label: string; options: readonly string[]; onChange?: (value: string) => void }) {
  const { value, update, optionLabel } = useEditing();
  return (
    <Field path={path} label={label}>
      <select id={fieldId(path)} value={asString(getAt(value, path))} onChange={(e) => (onChange ? onChange(e.currentTarget.value) : update(path, e.currentTarget.value))}>
        {options.map((o) => (
          <option key={o} value={o}>{optionLabel(o)}</option>
        ))}
      </select>
    </Field>
  );
}

/** A set of choices stored as an array of strings. */
export function MultiCheck({ path, label, options }: { path: Path; label: string; options: readonly string[] }) {
  const { value, update, optionLabel } = useEditing();
  const chosen = asStrings(getAt(value, path));
  return (
    <fieldset class="multi" id={fieldId(path)}>
      <legend>{label}</legend>
      <div class="choices">
        {options.map((o) => (
          <label key={o} class="choice">
            <input type="checkbox" value={o} checked={chosen.includes(o)} onChange={(e) => update(path, e.currentTarget.checked ? [...chosen, o] : chosen.filter((c) => c !== o))} />
            {optionLabel(o)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** An array of strings, one per line. */
export function Lines({ path, label }: { path: Path; label: string }) {
  const { value, update } = useEditing();
  const lines = asStrings(getAt(value, path));
  return (
    <Field path={path} label={label}>
      <textarea id={fieldId(path)} rows={2} value={lines.join('\n')} onInput={(e) => update(path, e.currentTarget.value.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1))} />
    </Field>
  );
}

/** `2026-12-01T09:00:00+09:00` as a datetime-local value (the browser's time), and back with the
 * browser's offset: the contract takes a date-time with its offset. */
export function toLocalInput(iso: string | null): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  const d = new Date(Date.parse(iso));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return local;
  const offset = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** A nullable date-time with offset, picked with the browser's date and time picker. */
export function DateTimeInput({ path, label }: { path: Path; label: string }) {
  const { value, update } = useEditing();
  const invalid = useInvalid(path);
  const current = getAt(value, path);
  return (
    <Field path={path} label={label}>
      <input id={fieldId(path)} type="datetime-local" value={toLocalInput(typeof current === 'string' ? current : null)} {...invalid} onInput={(e) => update(path, fromLocalInput(e.currentTarget.value))} />
    </Field>
  );
}

/** A nullable object (`points_expiring`, `repurchase_due`, ...): a switch that sets it to `initial`
 * or to null, and its fields while it is set. */
export function NullableObject({ path, label, initial, children }: { path: Path; label: string; initial: Record<string, unknown>; children: ComponentChildren }) {
  const { value, update } = useEditing();
  const on = isNode(getAt(value, path));
  return (
    <fieldset class="nullable">
      <legend>{label}</legend>
      <Field path={path} label={label} inline>
        <input id={fieldId(path)} type="checkbox" checked={on} onChange={(e) => update(path, e.currentTarget.checked ? structuredClone(initial) : null)} />
      </Field>
      {on ? children : null}
    </fieldset>
  );
}

/** Settings whose values are a fixed set (edge/contract/campaign.ts): a select rather than free text. */
const CHOICES: Record<string, readonly string[]> = {
  kind: ['coupon', 'points', 'free_shipping'],
  strategy: ['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal'],
};

/** Any settings object: booleans as checkboxes, numbers as numbers, the rest as text, nested objects in turn. */
export function Generic({ path }: { path: Path }) {
  const { value } = useEditing();
  const node = getAt(value, path);
  return (
    <>
      {Object.entries(isNode(node) ? node : {}).map(([key, v]) => {
        const at = [...path, key];
        if (typeof v === 'boolean') return <Checkbox key={key} path={at} label={key} />;
        if (typeof v === 'string' && CHOICES[key]) return <Select key={key} path={at} label={key} options={CHOICES[key]!} />;
        if (typeof v === 'number') return <NumberInput key={key} path={at} label={key} />;
        if (isNode(v) && !Array.isArray(v))
          return (
            <fieldset key={key}>
              <legend>{key}</legend>
              <Generic path={at} />
            </fieldset>
          );
        if (Array.isArray(v)) return <Lines key={key} path={at} label={key} />;
        return <TextInput key={key} path={at} label={key} nullable={v === null || /_url$|_code$|amount/.test(key)} />;
      })}
    </>
  );
}
