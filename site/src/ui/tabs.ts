// One tab list for every page: buttons with role="tab", a roving tabindex,
// and the keyboard of the WAI-ARIA tabs pattern (Left and Right wrap, Home
// and End jump), selecting as focus moves.
import { h } from './h';

export interface TabsOptions<K extends string> {
  /** aria-label of the tab list. */
  label: string;
  /** Prefix of the buttons' ids: `${idPrefix}-${key}`. */
  idPrefix: string;
  items: readonly (readonly [K, string])[];
  /** The id of the panel a tab controls. */
  controls: (key: K) => string;
  /** Called when a tab is chosen by click or keyboard (not by select()). */
  onSelect: (key: K) => void;
}

export interface Tabs<K extends string> {
  element: HTMLElement;
  /** Marks key selected, focusing its button when focus is true. */
  select(key: K, focus?: boolean): void;
  selected(): K;
  /** The id of a tab's button, for aria-labelledby. */
  idOf(key: K): string;
}

export function tabs<K extends string>(o: TabsOptions<K>): Tabs<K> {
  let current = o.items[0]![0];
  const idOf = (key: K): string => `${o.idPrefix}-${key}`;
  const buttons = o.items.map(([key, label]) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: idOf(key),
        class: 'tab',
        'aria-controls': o.controls(key),
        dataset: { tab: key },
        onClick: () => choose(key, false),
      },
      label,
    ),
  );
  const element = h('div', { class: 'tabs', role: 'tablist', 'aria-label': o.label }, buttons);
  element.addEventListener('keydown', (e: KeyboardEvent) => {
    const i = o.items.findIndex(([k]) => k === current);
    const n = o.items.length;
    const j = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i + n - 1) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (j < 0) return;
    e.preventDefault();
    choose(o.items[j]![0], true);
  });

  function select(key: K, focus = false): void {
    current = key;
    for (const b of buttons) {
      const on = b.dataset.tab === key;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
  }
  function choose(key: K, focus: boolean): void {
    select(key, focus);
    o.onSelect(key);
  }
  select(current);
  return { element, select, selected: () => current, idOf };
}
