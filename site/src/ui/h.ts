// A tiny element builder. Data only ever reaches the DOM as text nodes or
// attribute values (never through innerHTML), so API data cannot inject markup.
// Inline style attributes are refused: the CSP (style-src 'self') blocks them;
// use classes from styles.css instead.

export type Child = Node | string | number | boolean | null | undefined | Child[];

type Listener = (event: any) => void;
type ClassValue = string | (string | false | null | undefined)[];

/**
 * Attributes: `class` (string or list), `dataset` (data-* values), `onXxx`
 * listeners (event name = "xxx" lower-cased), true for boolean attributes,
 * and anything else set with setAttribute. null/undefined/false are skipped.
 */
export interface Attrs {
  [name: string]: string | number | boolean | null | undefined | Listener | ClassValue | Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

function setAttrs(el: HTMLElement, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') {
      const cls = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      if (cls) el.className = cls;
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value as Record<string, string>)) el.dataset[k] = v;
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === 'style') {
      throw new Error('h(): inline styles are blocked by the CSP; use a class');
    } else if (/^on/i.test(key)) {
      throw new Error(`h(): ${key} must be a function`);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

/** Appends children; strings and numbers become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === true) continue;
    if (Array.isArray(child)) append(parent, ...child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces all children of parent. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Text for screen readers only. */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { class: 'sr-only' }, text);
}
