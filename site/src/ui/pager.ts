// One pager for every cursor-paged list: it keeps the cursors of the pages
// seen so far (cursors[i] loads page i), so Previous goes back without the
// API having to page backwards.
import { h } from './h';

export interface PagerOptions {
  /** aria-label of the pager's nav. */
  label: string;
  previousLabel?: string;
  nextLabel?: string;
  /** Called when Previous or Next changes the page; load cursor() then. */
  onChange: () => void;
}

export interface Pager {
  element: HTMLElement;
  /** The cursor of the page to load. */
  cursor(): string | undefined;
  /** Back to the first page (new filter, tab or search). */
  reset(): void;
  /** Shows the page just loaded, whose answer named next. */
  loaded(next: string | undefined): void;
  /** Hides the pager (an error in place of the list). */
  hide(): void;
}

export function pager(o: PagerOptions): Pager {
  let cursors: (string | undefined)[] = [undefined];
  let index = 0;
  let next: string | undefined;
  const prev = h('button', { type: 'button', class: 'button button--secondary', dataset: { page: 'previous' } }, o.previousLabel ?? 'Previous');
  const nextBtn = h('button', { type: 'button', class: 'button button--secondary', dataset: { page: 'next' } }, o.nextLabel ?? 'Next');
  const label = h('span', { class: 'pager__label' });
  // Hidden until the first page is shown, so that it never appears above
  // rows still loading and then jumps below them (a layout shift).
  const element = h('nav', { class: 'pager', 'aria-label': o.label, hidden: true }, prev, label, nextBtn);
  prev.addEventListener('click', () => {
    if (index === 0) return;
    index -= 1;
    o.onChange();
  });
  nextBtn.addEventListener('click', () => {
    if (!next) return;
    cursors = cursors.slice(0, index + 1);
    cursors.push(next);
    index += 1;
    o.onChange();
  });
  return {
    element,
    cursor: () => cursors[index],
    reset() {
      cursors = [undefined];
      index = 0;
    },
    loaded(n) {
      next = n || undefined;
      prev.disabled = index === 0;
      nextBtn.disabled = !next;
      element.hidden = index === 0 && !next;
      label.textContent = `Page ${index + 1}`;
    },
    hide() {
      element.hidden = true;
    },
  };
}
