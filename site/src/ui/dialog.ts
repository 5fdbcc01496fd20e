// Modal dialogs as native <dialog> elements (focus is trapped by the
// browser, Escape closes them). Focus returns to the element that was
// focused before the dialog opened.
import { h, type Child } from './h';

let counter = 0;

export interface DialogHandle {
  dialog: HTMLDialogElement;
  close: () => void;
}

export interface DialogOptions {
  title: string;
  /** Builds the body; receives a close function. */
  content: (close: () => void) => Child;
  /** Element to focus once open (defaults to the first focusable one). */
  initialFocus?: (dialog: HTMLDialogElement) => HTMLElement | null;
  class?: string;
  onClose?: () => void;
  /** Where focus goes after closing (defaults to the element focused before). */
  returnFocus?: () => HTMLElement | null;
}

/** Opens a modal dialog with a title; removes it from the DOM when closed. */
export function openDialog(opts: DialogOptions): DialogHandle {
  const id = `dialog-${++counter}`;
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const dialog = h('dialog', { class: ['dialog', opts.class], 'aria-labelledby': `${id}-title` });
  const close = (): void => {
    if (dialog.open) dialog.close();
  };
  dialog.append(
    h(
      'div',
      { class: 'dialog__header' },
      h('h2', { id: `${id}-title`, class: 'dialog__title' }, opts.title),
      h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onClick: close }, '×'),
    ),
    h('div', { class: 'dialog__body' }, opts.content(close)),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    opts.onClose?.();
    const target = opts.returnFocus?.() ?? previous;
    if (target && target.isConnected) target.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const first =
    opts.initialFocus?.(dialog) ??
    dialog.querySelector<HTMLElement>('.dialog__body input:not([disabled]), .dialog__body select, .dialog__body textarea, .dialog__body button');
  first?.focus();
  return { dialog, close };
}

export interface ConfirmOptions {
  title: string;
  /** What will happen, in plain words. */
  body: Child;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  /**
   * Runs when confirmed; the dialog stays open (busy) until it settles and
   * shows its error if it throws. Without it, the promise resolves true.
   */
  action?: () => Promise<void>;
}

/** A confirmation dialog; resolves true when confirmed (and the action succeeded). */
export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let confirmed = false;
    const error = h('p', { class: 'field-error dialog__error', role: 'alert', hidden: true });
    const handle = openDialog({
      title: opts.title,
      class: 'dialog--confirm',
      onClose: () => resolve(confirmed),
      initialFocus: (d) => d.querySelector<HTMLElement>('[data-cancel]'),
      content: (close) => {
        const ok = h(
          'button',
          {
            type: 'button',
            class: ['button', opts.danger && 'button--danger'],
            dataset: { confirm: '' },
            onClick: async () => {
              if (!opts.action) {
                confirmed = true;
                close();
                return;
              }
              ok.disabled = true;
              ok.setAttribute('aria-busy', 'true');
              error.hidden = true;
              try {
                await opts.action();
                confirmed = true;
                close();
              } catch (err) {
                error.textContent = err instanceof Error ? err.message : String(err);
                error.hidden = false;
              } finally {
                ok.disabled = false;
                ok.removeAttribute('aria-busy');
              }
            },
          },
          opts.confirmLabel,
        );
        return [
          h('div', { class: 'dialog__text' }, opts.body),
          error,
          h(
            'div',
            { class: 'dialog__actions' },
            h('button', { type: 'button', class: 'button button--secondary', dataset: { cancel: '' }, onClick: close }, opts.cancelLabel ?? 'Cancel'),
            ok,
          ),
        ];
      },
    });
    void handle;
  });
}
