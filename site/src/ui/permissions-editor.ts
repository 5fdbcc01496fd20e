// A reusable permission editor: All or Custom, then checkboxes grouped by
// area from the catalog. Within an area, "manage" implies "view": checking
// manage checks view, unchecking view unchecks manage. Preset buttons only
// pre-fill the checkboxes (and the role, through onPreset).
//
// `limit` is the signed-in actor's own permission set: what it lacks is
// disabled (the server refuses it anyway), and All is offered only to an
// actor that has All.
import type { PermissionCatalog, PermissionSet, RolePreset } from '../types';
import { grants } from './catalog';
import { h } from './h';

let counter = 0;

export interface PermissionsEditorOptions {
  catalog: PermissionCatalog;
  value: PermissionSet;
  legend?: string | undefined;
  /** Show the catalog's preset buttons. */
  presets?: boolean | undefined;
  /** Called after a preset filled the checkboxes (to set the role too). */
  onPreset?: (preset: RolePreset) => void | undefined;
  onChange?: (value: PermissionSet) => void | undefined;
  /** The actor's own permissions: anything outside them is disabled. */
  limit?: PermissionSet | null | undefined;
  disabled?: boolean | undefined;
  /** Explains why the editor is read-only. */
  disabledReason?: string | undefined;
}

export interface PermissionsEditor {
  element: HTMLFieldSetElement;
  value(): PermissionSet;
  setValue(value: PermissionSet): void;
  setDisabled(disabled: boolean): void;
}

function impliedView(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.slice(dot + 1) === 'manage' ? `${name.slice(0, dot)}.view` : null;
}

function impliedManage(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.slice(dot + 1) === 'view' ? `${name.slice(0, dot)}.manage` : null;
}

export function permissionsEditor(opts: PermissionsEditorOptions): PermissionsEditor {
  const id = `perm-editor-${++counter}`;
  const { catalog } = opts;
  const limit = opts.limit ?? null;
  const canAll = !limit || limit.all;
  const allowed = (name: string): boolean => !limit || grants(limit, name);
  let disabled = !!opts.disabled;

  const boxes = new Map<string, HTMLInputElement>();
  const allRadio = h('input', { type: 'radio', name: `${id}-mode`, id: `${id}-all`, value: 'all', dataset: { mode: 'all' } });
  const customRadio = h('input', { type: 'radio', name: `${id}-mode`, id: `${id}-custom`, value: 'custom', dataset: { mode: 'custom' } });

  const changed = (): void => {
    sync();
    opts.onChange?.(value());
  };

  allRadio.addEventListener('change', changed);
  customRadio.addEventListener('change', changed);

  const areas = catalog.areas.map((area) => {
    const legendId = `${id}-area-${area.id}`;
    return h(
      'fieldset',
      { class: 'perm-area', dataset: { area: area.id }, 'aria-labelledby': legendId },
      h('legend', { id: legendId, class: 'perm-area__legend' }, area.label),
      area.permissions.map((p) => {
        const boxId = `${id}-${p.name.replace(/[^a-z0-9]/gi, '-')}`;
        const box = h('input', { type: 'checkbox', id: boxId, value: p.name, dataset: { permission: p.name } });
        boxes.set(p.name, box);
        box.addEventListener('change', () => {
          if (box.checked) {
            const view = impliedView(p.name);
            const vb = view ? boxes.get(view) : undefined;
            if (vb && !vb.disabled) vb.checked = true;
          } else {
            const manage = impliedManage(p.name);
            const mb = manage ? boxes.get(manage) : undefined;
            if (mb && !mb.disabled) mb.checked = false;
          }
          changed();
        });
        const lacking = !allowed(p.name);
        return h(
          'div',
          { class: ['check', lacking && 'check--locked'] },
          box,
          h(
            'label',
            { for: boxId },
            h('span', { class: 'check__label' }, p.label),
            ' ',
            h('code', { class: 'perm__name' }, p.name),
            lacking ? h('span', { class: 'check__note' }, ' (you do not have this permission)') : null,
          ),
        );
      }),
    );
  });

  const presetButtons = opts.presets
    ? h(
        'div',
        { class: 'perm-presets', role: 'group', 'aria-label': 'Fill in from a preset' },
        h('span', { class: 'perm-presets__label', 'aria-hidden': 'true' }, 'Fill in from a preset:'),
        catalog.presets.map((preset) =>
          h(
            'button',
            {
              type: 'button',
              class: 'button button--secondary button--small',
              dataset: { preset: preset.id },
              onClick: () => {
                setValue(preset.permissions);
                opts.onPreset?.(preset);
                changed();
              },
            },
            preset.label,
          ),
        ),
      )
    : null;

  const grid = h('div', { class: 'perm-grid', id: `${id}-grid` }, areas);
  const reason = opts.disabledReason ? h('p', { class: 'hint', id: `${id}-reason` }, opts.disabledReason) : null;

  const element = h(
    'fieldset',
    { class: 'perm-editor', 'aria-describedby': reason ? `${id}-reason` : null },
    h('legend', { class: 'perm-editor__legend' }, opts.legend ?? 'Permissions'),
    reason,
    h(
      'div',
      { class: 'perm-mode', role: 'radiogroup', 'aria-label': 'Permission mode' },
      h(
        'div',
        { class: ['check', !canAll && 'check--locked'] },
        allRadio,
        h(
          'label',
          { for: allRadio.id },
          h('strong', null, 'All'),
          ' – every permission, including any added later',
          canAll ? null : h('span', { class: 'check__note' }, ' (only someone with All can grant it)'),
        ),
      ),
      h('div', { class: 'check' }, customRadio, h('label', { for: customRadio.id }, h('strong', null, 'Custom'), ' – only the permissions checked below')),
    ),
    presetButtons,
    grid,
  );

  function value(): PermissionSet {
    if (allRadio.checked) return { all: true, granted: [] };
    const names: string[] = [];
    for (const [name, box] of boxes) if (box.checked) names.push(name);
    return { all: false, granted: names };
  }

  function setValue(v: PermissionSet): void {
    allRadio.checked = !!v.all;
    customRadio.checked = !v.all;
    for (const [name, box] of boxes) box.checked = grants(v, name);
    sync();
  }

  function sync(): void {
    const isAll = allRadio.checked;
    allRadio.disabled = disabled || (!canAll && !isAll);
    customRadio.disabled = disabled;
    grid.classList.toggle('perm-grid--all', isAll);
    for (const [name, box] of boxes) {
      if (isAll) box.checked = true;
      box.disabled = disabled || isAll || !allowed(name);
    }
    if (presetButtons) {
      for (const b of presetButtons.querySelectorAll('button')) {
        const preset = catalog.presets.find((p) => p.id === b.dataset.preset);
        const usable = !!preset && (preset.permissions.all ? canAll : (preset.permissions.granted ?? []).every(allowed));
        b.disabled = disabled || !usable;
      }
    }
  }

  function setDisabled(d: boolean): void {
    disabled = d;
    sync();
  }

  setValue(opts.value);
  return { element, value, setValue, setDisabled };
}
