// Data tables that fit every screen: each cell carries its column's name
// (data-label), so that under 640 px wide the stylesheet shows rows as
// stacked cards with every column labelled and readable.
import { h } from './h';

/** Labels the cells of the table in `el` (a table, or a wrapper holding one) from its header; wraps a bare table. */
export function stackable(el: HTMLElement): HTMLElement {
  const table = el instanceof HTMLTableElement ? el : el.querySelector('table');
  if (table) {
    table.classList.add('stackable');
    const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        const name = names[i];
        if (name && cell instanceof HTMLElement) cell.dataset.label = name;
      });
    }
  }
  return el instanceof HTMLTableElement ? h('div', { class: 'table-wrap' }, el) : el;
}

/**
 * A data table (data-table=`name`) with a screen-reader caption, one header
 * row from `columns` (null ones left out, for columns only some actors
 * get), and the rows, made stackable.
 */
export function dataTable(name: string, caption: string, columns: (string | null)[], rows: Node[]): HTMLElement {
  return stackable(
    h(
      'table',
      { class: 'data-table', dataset: { table: name } },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, columns.filter((c): c is string => c !== null).map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows),
    ),
  );
}
