// Labelled form fields with an error slot next to each, and a way to show
// an API error next to the field it names (ApiError.field).
import { ApiError } from '../api';
import { h, type Child } from './h';

let counter = 0;

export interface Field {
  element: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement;
  setError(message: string | null): void;
}

export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement,
  opts: { hint?: Child; name?: string } = {},
): Field {
  const id = control.id || `field-${++counter}`;
  control.classList.add('input');
  control.id = id;
  if (opts.name) control.name = opts.name;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const error = h('p', { class: 'field__error', id: errorId, hidden: true });
  const hint = opts.hint ? h('p', { class: 'field__hint', id: hintId }, opts.hint) : null;
  control.setAttribute('aria-describedby', [hint ? hintId : '', errorId].filter(Boolean).join(' '));
  // A field's error goes away as soon as the value is changed.
  const clear = (): void => {
    if (!error.hidden) {
      error.hidden = true;
      control.removeAttribute('aria-invalid');
    }
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
  const element = h('div', { class: 'field', dataset: { field: control.name || id } }, h('label', { for: id, class: 'field__label' }, label), control, hint, error);
  return {
    element,
    control,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

/**
 * Shows err next to the field it names (fields keyed by API field name) and
 * focuses that field; otherwise in the form-level alert. Returns the message.
 */
export function showError(err: unknown, fields: Record<string, Field>, formAlert: HTMLElement): string {
  for (const f of Object.values(fields)) f.setError(null);
  formAlert.hidden = true;
  formAlert.replaceChildren();
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof ApiError ? err.field : undefined;
  const target = name ? fields[name] : undefined;
  if (target) {
    target.setError(message);
    target.control.focus();
  } else {
    formAlert.append(h('p', null, message));
    if (err instanceof ApiError && err.code) formAlert.append(h('p', { class: 'alert__code' }, 'Error code: ', h('code', null, err.code)));
    formAlert.hidden = false;
  }
  return message;
}

export function clearErrors(fields: Record<string, Field>, formAlert: HTMLElement): void {
  for (const f of Object.values(fields)) f.setError(null);
  formAlert.hidden = true;
  formAlert.replaceChildren();
}

export function textInput(attrs: Record<string, string | boolean | number | null | undefined> = {}): HTMLInputElement {
  return h('input', { type: 'text', ...attrs });
}

export function select(options: [string, string][], value: string, attrs: Record<string, string | boolean | null> = {}): HTMLSelectElement {
  const s = h('select', attrs, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  s.value = value;
  return s;
}
