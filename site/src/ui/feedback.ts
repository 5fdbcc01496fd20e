// Loading and error states shared by every page.
import { ApiError } from '../api';
import { h } from './h';

export function loading(label: string): HTMLElement {
  return h(
    'div',
    { class: 'loading', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', null, label),
  );
}

/** An error panel showing the API's message, with an optional retry button. */
export function errorPanel(err: unknown, opts: { title?: string | undefined; onRetry?: (() => void) | undefined } = {}): HTMLElement {
  const message = err instanceof ApiError || err instanceof Error ? err.message : String(err);
  const code = err instanceof ApiError ? err.code : '';
  const retry = opts.onRetry
    ? h('button', { type: 'button', class: 'button', onClick: opts.onRetry }, 'Retry')
    : null;
  return h(
    'div',
    { class: 'alert alert--error', role: 'alert' },
    h('p', { class: 'alert__title' }, opts.title ?? 'Something went wrong'),
    h('p', { class: 'alert__message' }, message),
    code ? h('p', { class: 'alert__code' }, 'Error code: ', h('code', null, code)) : null,
    retry,
  );
}
