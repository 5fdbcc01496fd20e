// A reusable permission editor: All or Custom, then checkboxes grouped by
// area from the catalog. Within an area, "manage" implies "view": checking
// manage checks view, unchecking view unchecks manage. Preset buttons only
// pre-fill the checkboxes (and the role, through onPreset).
//
// `limit` is the signed-in actor's own permission set and `role` the role
// being given: what the actor lacks, or the role may not hold, is disabled
// (the server refuses it anyway); All is offered only to an actor that has
// All, for a role that may hold it; presets are offered only when the
// actor can give all of them. Each permission's description (from the
// catalog) is its help: shown on hover and focus, and read with the
// checkbox through aria-describedby.
import type { PermissionCatalog, PermissionSet, RolePreset } from '../types';
import { grants } from './catalog';
import { field, select, type Field } from './form';
import { h } from './h';
import { clampGrant, mayGrant, mayGrantAll, roleDef, roleLabel, roleOptions } from './roles';

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
  /** The role being given: a role that may not manage members cannot get users.manage or All. */
  role?: string | undefined;
  disabled?: boolean | undefined;
  /** Explains why the editor is read-only. */
  disabledReason?: string | undefined;
}

export interface PermissionsEditor {
  element: HTMLFieldSetElement;
  value(): PermissionSet;
  setValue(value: PermissionSet): void;
  setDisabled(disabled: boolean): void;
  /** The role being given changed: what it may not hold is unticked and disabled. */
  setRole(role: string): void;
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
  let role = opts.role ?? 'admin';
  let canAll = mayGrantAll(catalog, limit, role);
  let allowed = mayGrant(catalog, limit, role);
  const held = (name: string): boolean => !limit || grants(limit, name);
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
        const descId = `${boxId}-desc`;
        const box = h('input', { type: 'checkbox', id: boxId, value: p.name, dataset: { permission: p.name }, 'aria-describedby': descId });
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
        const lacking = !held(p.name);
        return h(
          'div',
          { class: ['check', 'perm', lacking && 'check--locked'], dataset: { perm: p.name } },
          box,
          h(
            'label',
            { for: boxId },
            h('span', { class: 'check__label' }, p.label),
            ' ',
            h('code', { class: 'perm__name' }, p.name),
            lacking ? h('span', { class: 'check__note' }, ' (you do not have this permission)') : null,
          ),
          h('span', { class: 'check__note perm__role-note', hidden: true }, ' (this role cannot manage members)'),
          h('span', { class: 'perm__help', id: descId, role: 'tooltip' }, p.description),
        );
      }),
    );
  });

  // Only the presets the actor can give in full are offered.
  const usablePresets = catalog.presets.filter((preset) =>
    preset.permissions.all ? mayGrantAll(catalog, limit, preset.role) : (preset.permissions.granted ?? []).every(mayGrant(catalog, limit, preset.role)),
  );
  const presetButtons = opts.presets && usablePresets.length
    ? h(
        'div',
        { class: 'perm-presets', role: 'group', 'aria-label': 'Fill in from a preset' },
        h('span', { class: 'perm-presets__label', 'aria-hidden': 'true' }, 'Fill in from a preset:'),
        usablePresets.map((preset) =>
          h(
            'button',
            {
              type: 'button',
              class: 'button button--secondary button--small',
              dataset: { preset: preset.id },
              onClick: () => {
                opts.onPreset?.(preset);
                setRole(preset.role);
                setValue(preset.permissions);
                changed();
              },
            },
            preset.label,
          ),
        ),
      )
    : null;

  const grid = h('div', { class: 'perm-grid', id: `${id}-grid` }, areas);
  const allNote = h('span', { class: 'check__note' });
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
          allNote,
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
    allRadio.parentElement?.classList.toggle('check--locked', !canAll);
    allNote.textContent = canAll ? '' : limit && !limit.all ? ' (only someone with All can grant it)' : ' (this role cannot manage members)';
    customRadio.disabled = disabled;
    grid.classList.toggle('perm-grid--all', isAll);
    for (const [name, box] of boxes) {
      if (isAll) box.checked = true;
      box.disabled = disabled || isAll || !allowed(name);
      const roleNote = box.parentElement?.querySelector<HTMLElement>('.perm__role-note');
      if (roleNote) roleNote.hidden = allowed(name) || !held(name);
    }
    if (presetButtons) for (const b of presetButtons.querySelectorAll('button')) b.disabled = disabled;
  }

  function setRole(r: string): void {
    role = r;
    canAll = mayGrantAll(catalog, limit, role);
    allowed = mayGrant(catalog, limit, role);
    if (allRadio.checked && !canAll) {
      // All is not for this role: keep what it may hold of everything.
      allRadio.checked = false;
      customRadio.checked = true;
      for (const [name, box] of boxes) box.checked = allowed(name);
    }
    for (const [name, box] of boxes) if (!allowed(name)) box.checked = false;
    sync();
  }

  function setDisabled(d: boolean): void {
    disabled = d;
    sync();
  }

  setValue(opts.value);
  return { element, value, setValue, setDisabled, setRole };
}

export interface RoleAndPermissionsOptions {
  catalog: PermissionCatalog;
  limit: PermissionSet | null;
  role: string;
  value: PermissionSet;
  presets?: boolean;
  /** Choosing a role fills in its default permissions (within what the actor may grant). */
  fillOnRoleChange?: boolean;
  legend?: string;
  label?: string;
  /** The role cannot be changed, with why (shown as its hint). */
  roleLocked?: string | undefined;
  /** The permissions cannot be changed. */
  disabled?: boolean;
  disabledReason?: string | undefined;
}

/**
 * A role select from the catalog, with the chosen role's description as
 * its hint, and the permission editor it governs: the editor follows the
 * role (what it may hold) and presets set the role.
 */
export function roleAndPermissions(o: RoleAndPermissionsOptions): { role: Field; editor: PermissionsEditor } {
  const options = roleOptions(o.catalog);
  if (!options.some(([id]) => id === o.role)) options.push([o.role, roleLabel(o.catalog, o.role)]);
  const control = select(options, o.role, { disabled: !!o.roleLocked });
  const hint = h('span', { dataset: { roleHelp: '' } }, roleDef(o.catalog, o.role)?.description ?? '');
  const lockNote = o.roleLocked ? h('span', { class: 'field__lock' }, ` ${o.roleLocked}`) : null;
  const role = field(o.label ?? 'Role', control, { name: 'role', hint: h('span', null, hint, lockNote) });
  const showRole = (r: string): void => {
    control.value = r;
    hint.textContent = roleDef(o.catalog, r)?.description ?? '';
  };
  const editor = permissionsEditor({
    catalog: o.catalog,
    value: o.value,
    limit: o.limit,
    role: o.role,
    presets: o.presets,
    legend: o.legend,
    disabled: o.disabled,
    disabledReason: o.disabledReason,
    onPreset: (p) => showRole(p.role),
  });
  control.addEventListener('change', () => {
    const r = control.value;
    showRole(r);
    editor.setRole(r);
    const def = roleDef(o.catalog, r);
    if (o.fillOnRoleChange && def) {
      editor.setValue(clampGrant(o.catalog, def.permissions, mayGrant(o.catalog, o.limit, r), mayGrantAll(o.catalog, o.limit, r)));
    }
  });
  return { role, editor };
}
