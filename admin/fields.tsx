// Form fields bound to a path in the config being edited, each with the server's error for that
// path shown beside it. Every value is rendered as text or as an input's value, never as markup.
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { T } from './i18n';

export type Path = (string | number)[];
type Json = any;

/** The server's path format (edge/lib/zod-issues.ts): `widgets.cart_reminder.variants[0].id`. */
export const pathKey = (path: Path): string => path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');

export function getAt(value: Json, path: Path): Json {
  return path.reduce((node, key) => (node == null ? undefined : node[key]), value);
}

export function setAt(value: Json, path: Path, next: Json): Json {
  const copy = structuredClone(value);
  let node = copy;
  path.slice(0, -1).forEach((key) => (node = node[key]));
  node[path[path.length - 1]!] = next;
  return copy;
}

export interface Editing {
  config: Json;
  update(path: Path, value: Json): void;
  /** Server errors by path key. */
  errors: Map<string, string>;
  t: T;
}
export const EditingContext = createContext<Editing>(null as never);
export const useEditing = () => useContext(EditingContext);

const fieldId = (path: Path) => `f-${pathKey(path).replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/** A label, the input, and the error for `path` (or any path under it) next to it. */
export function Field({ path, label, children, inline = false }: { path: Path; label: string; children: ComponentChildren; inline?: boolean }) {
  const { errors } = useEditing();
  const key = pathKey(path);
  const error = errors.get(key) ?? [...errors].find(([k]) => k.startsWith(`${key}.`) || k.startsWith(`${key}[`))?.[1];
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

const describedBy = (path: Path, errors: Map<string, string>) => (errors.has(pathKey(path)) ? `${fieldId(path)}-error` : undefined);

export function TextInput({ path, label, nullable = false, multiline = false }: { path: Path; label: string; nullable?: boolean; multiline?: boolean }) {
  const { config, update, errors } = useEditing();
  const value = getAt(config, path);
  const onInput = (e: Event) => {
    const text = (e.currentTarget as HTMLInputElement).value;
    update(path, nullable && text === '' ? null : text);
  };
  const common = { id: fieldId(path), value: value ?? '', onInput, 'aria-invalid': errors.has(pathKey(path)) || undefined, 'aria-describedby': describedBy(path, errors) };
  return <Field path={path} label={label}>{multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}</Field>;
}

export function NumberInput({ path, label, nullable = false }: { path: Path; label: string; nullable?: boolean }) {
  const { config, update, errors, t } = useEditing();
  const value = getAt(config, path);
  return (
    <Field path={path} label={label}>
      <input
        id={fieldId(path)}
        type="number"
        value={value ?? ''}
        placeholder={nullable ? t('none') : undefined}
        aria-invalid={errors.has(pathKey(path)) || undefined}
        aria-describedby={describedBy(path, errors)}
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
  const { config, update } = useEditing();
  return (
    <Field path={path} label={label} inline>
      <input id={fieldId(path)} type="checkbox" checked={getAt(config, path) === true} onChange={(e) => update(path, e.currentTarget.checked)} />
    </Field>
  );
}

export function Select({ path, label, options }: { path: Path; label: string; options: readonly string[] }) {
  const { config, update } = useEditing();
  return (
    <Field path={path} label={label}>
      <select id={fieldId(path)} value={getAt(config, path)} onChange={(e) => update(path, e.currentTarget.value)}>
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </Field>
  );
}

/** A set of choices stored as an array of strings. */
export function MultiCheck({ path, label, options }: { path: Path; label: string; options: readonly string[] }) {
  const { config, update } = useEditing();
  const chosen: string[] = getAt(config, path) ?? [];
  return (
    <Field path={path} label={label}>
      <div class="choices" id={fieldId(path)} role="group" aria-label={label}>
        {options.map((o) => (
          <label key={o} class="choice">
            <input type="checkbox" checked={chosen.includes(o)} onChange={(e) => update(path, e.currentTarget.checked ? [...chosen, o] : chosen.filter((c) => c !== o))} />
            {o}
          </label>
        ))}
      </div>
    </Field>
  );
}

/** An array of strings, one per line. */
export function Lines({ path, label }: { path: Path; label: string }) {
  const { config, update } = useEditing();
  const lines: string[] = getAt(config, path) ?? [];
  return (
    <Field path={path} label={label}>
      <textarea id={fieldId(path)} rows={2} value={lines.join('\n')} onInput={(e) => update(path, e.currentTarget.value.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1))} />
    </Field>
  );
}

/** Settings whose values are a fixed set (edge/contract/config.ts): a select rather than free text. */
const CHOICES: Record<string, readonly string[]> = {
  kind: ['coupon', 'points', 'free_shipping'],
  strategy: ['viewed_together', 'bought_together', 'trending', 'recently_viewed', 'personal'],
};

/** Any settings object: booleans as checkboxes, numbers as numbers, the rest as text, nested objects in turn. */
export function Generic({ path }: { path: Path }) {
  const { config } = useEditing();
  const value = getAt(config, path) ?? {};
  return (
    <>
      {Object.entries(value).map(([key, v]) => {
        const at = [...path, key];
        if (typeof v === 'boolean') return <Checkbox key={key} path={at} label={key} />;
        if (typeof v === 'string' && CHOICES[key]) return <Select key={key} path={at} label={key} options={CHOICES[key]!} />;
        if (typeof v === 'number') return <NumberInput key={key} path={at} label={key} />;
        if (v !== null && typeof v === 'object' && !Array.isArray(v))
          return (
            <fieldset key={key}>
              <legend>{key}</legend>
              <Generic path={at} />
            </fieldset>
          );
        return <TextInput key={key} path={at} label={key} nullable={v === null || /_url$|_code$|amount/.test(key)} />;
      })}
    </>
  );
}
