// The one form module: labelled fields with their own error slot (shown
// next to the field an API error names), forms whose buttons stay disabled
// while a request runs, with a summary for errors that name no field and a
// 429 turned into "try again at", and the page frame of the form pages.
import { ApiError } from '../api';
import { h, replaceChildren, type Child } from './h';

let seq = 0;
function uid(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}`;
}

export interface Field {
  /** The API's field name (error.field) and the control's name. */
  name: string;
  element: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement;
  setError(message: string | null): void;
}

/**
 * A labelled field around control, with an optional hint and an error slot
 * that goes away as soon as the value changes.
 */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, opts: { hint?: Child; name?: string } = {}): Field {
  const id = control.id || uid(`f-${opts.name ?? control.name ?? 'field'}`);
  control.classList.add('input');
  control.id = id;
  if (opts.name) control.name = opts.name;
  const hintId = opts.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const error = h('p', { class: 'field__error', id: errorId, hidden: true });
  const element = h(
    'div',
    { class: 'field', dataset: { field: control.name || id } },
    h('label', { for: id, class: 'field__label' }, label),
    hintId ? h('p', { class: 'field__hint', id: hintId }, opts.hint) : null,
    control,
    error,
  );
  const setError = (message: string | null): void => {
    const described = [hintId, message ? errorId : null].filter(Boolean).join(' ');
    if (described) control.setAttribute('aria-describedby', described);
    else control.removeAttribute('aria-describedby');
    error.textContent = message ?? '';
    error.hidden = !message;
    element.classList.toggle('field--invalid', !!message);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  setError(null);
  const clear = (): void => {
    if (!error.hidden) setError(null);
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
  return { name: control.name || id, element, control, setError };
}

export interface InputOptions {
  /** The API's field name (error.field) and the input's name. */
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  hint?: Child;
  value?: string;
  inputmode?: string;
  maxlength?: number;
  minlength?: number;
  readonly?: boolean;
}

/** A field with a new input element. */
export function inputField(o: InputOptions): Field {
  const input = h('input', {
    id: uid(`f-${o.name}`),
    type: o.type ?? 'text',
    autocomplete: o.autocomplete ?? 'off',
    required: o.required ?? false,
    inputmode: o.inputmode,
    maxlength: o.maxlength,
    minlength: o.minlength,
    readonly: o.readonly ?? false,
  });
  if (o.value !== undefined) input.value = o.value;
  return field(o.label, input, { name: o.name, hint: o.hint });
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

/** "in 5 minutes (at 14:05)" for a Retry-After in seconds. */
export function retryText(seconds: number | undefined): string {
  if (!seconds || seconds <= 0) return 'Please wait a little and try again.';
  const at = new Date(Date.now() + seconds * 1000);
  const clock = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  let span: string;
  if (seconds < 60) span = `${seconds} second${seconds === 1 ? '' : 's'}`;
  else {
    const m = Math.ceil(seconds / 60);
    span = `${m} minute${m === 1 ? '' : 's'}`;
  }
  return `You can try again in ${span} (at ${clock}).`;
}

export interface FormOptions {
  /** data-form value, for tests and styles. */
  name: string;
  fields: Field[];
  submitLabel: string;
  busyLabel?: string;
  /** Extra content placed before the buttons. */
  extra?: Child;
  /** Extra buttons or links after the submit button. */
  actions?: Child;
  /** Runs the request. Throw ApiError to show it; anything else is shown in the summary. */
  onSubmit: (values: Record<string, string>, form: FormHandle) => Promise<void>;
  /** Maps an error to a field the API did not name (e.g. invalid_credentials -> password). */
  fieldFor?: (err: ApiError) => string | undefined;
}

export interface FormHandle {
  el: HTMLFormElement;
  summary: HTMLDivElement;
  submit: HTMLButtonElement;
  fields: Map<string, Field>;
  clearErrors(): void;
  showError(err: unknown): void;
  showSummary(message: string, opts?: { title?: string; kind?: 'error' | 'ok'; code?: string }): void;
}

/**
 * A form that posts its values through onSubmit, shows API errors next to
 * the field they name (else in a summary at the top, focused), and keeps
 * its buttons disabled while the request runs.
 */
export function form(o: FormOptions): FormHandle {
  const summary = h('div', { class: 'form__summary', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button' }, o.submitLabel);
  const el = h(
    'form',
    { class: 'form', dataset: { form: o.name, state: 'idle' }, novalidate: true },
    summary,
    o.fields.map((f) => f.element),
    o.extra,
    h('div', { class: 'form__actions' }, submit, o.actions),
  );
  const fields = new Map(o.fields.map((f) => [f.name, f]));
  let lockedUntil = 0;

  const handle: FormHandle = {
    el,
    summary,
    submit,
    fields,
    clearErrors() {
      for (const f of fields.values()) f.setError(null);
      summary.hidden = true;
      summary.removeAttribute('role');
      replaceChildren(summary);
    },
    showSummary(message, opts = {}) {
      const kind = opts.kind ?? 'error';
      summary.className = `form__summary alert alert--${kind}`;
      summary.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      replaceChildren(
        summary,
        opts.title ? h('p', { class: 'alert__title' }, opts.title) : null,
        h('p', { class: 'alert__message' }, message),
        opts.code ? h('p', { class: 'alert__code' }, 'Error code: ', h('code', null, opts.code)) : null,
      );
      summary.hidden = false;
      summary.focus({ preventScroll: false });
    },
    showError(err) {
      if (err instanceof ApiError) {
        if (err.status === 429) {
          const wait = err.retryAfter ?? 0;
          handle.showSummary(wait > 0 ? retryText(wait) : err.message, { title: 'Too many attempts', code: err.code });
          el.dataset.retryAfter = String(wait);
          if (wait > 0) {
            lockedUntil = Date.now() + wait * 1000;
            submit.disabled = true;
            window.setTimeout(() => {
              if (Date.now() >= lockedUntil && el.dataset.state !== 'busy') submit.disabled = false;
            }, wait * 1000);
          }
          return;
        }
        const name = err.field ?? o.fieldFor?.(err);
        const f = name ? fields.get(name) : undefined;
        if (f) {
          f.setError(err.message);
          f.control.focus();
          return;
        }
        handle.showSummary(err.message, { title: 'That did not work', code: err.code });
        return;
      }
      console.error(err);
      handle.showSummary(err instanceof Error ? err.message : String(err), { title: 'Something went wrong' });
    },
  };

  el.addEventListener('submit', (e) => {
    e.preventDefault();
    if (el.dataset.state === 'busy' || Date.now() < lockedUntil) return;
    handle.clearErrors();
    // Required fields left empty: say so next to each, without a request.
    let firstEmpty: Field | null = null;
    for (const f of fields.values()) {
      if (f.control.required && !f.control.value.trim()) {
        f.setError(`Enter ${f.element.querySelector('label')?.textContent?.toLowerCase() ?? 'a value'}.`);
        firstEmpty ??= f;
      }
    }
    if (firstEmpty) {
      firstEmpty.control.focus();
      return;
    }
    const values: Record<string, string> = {};
    for (const f of fields.values()) values[f.name] = f.control.value;
    const buttons = [...el.querySelectorAll<HTMLButtonElement>('button')];
    for (const b of buttons) b.disabled = true;
    el.dataset.state = 'busy';
    el.setAttribute('aria-busy', 'true');
    const label = submit.textContent;
    if (o.busyLabel) submit.textContent = o.busyLabel;
    void o
      .onSubmit(values, handle)
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        handle.showError(err);
      })
      .finally(() => {
        if (el.dataset.state === 'busy') el.dataset.state = 'idle';
        el.removeAttribute('aria-busy');
        submit.textContent = label;
        for (const b of buttons) b.disabled = false;
        if (Date.now() < lockedUntil) submit.disabled = true;
      });
  });
  return handle;
}

/** A page frame: title, optional lead, body. */
export function page(name: string, title: string, lead: Child, ...body: Child[]): HTMLElement {
  const titleId = uid(`${name}-title`);
  return h(
    'section',
    { class: ['page', 'page--narrow'], dataset: { page: name }, 'aria-labelledby': titleId },
    h('h1', { id: titleId }, title),
    lead ? h('p', { class: 'lead' }, lead) : null,
    ...body,
  );
}

/** An ok / info notice. */
export function notice(kind: 'ok' | 'info' | 'error', title: string, ...body: Child[]): HTMLElement {
  return h(
    'div',
    { class: ['alert', `alert--${kind}`], role: kind === 'error' ? 'alert' : 'status' },
    h('p', { class: 'alert__title' }, title),
    ...body,
  );
}
