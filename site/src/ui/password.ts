// The password rules, as the API states them (GET /api/auth/password-policy):
// every form that sets a password shows the same hint the server applies.
import { api } from '../api';
import type { components } from '../api-types';
import { h } from './h';

type PasswordPolicy = components['schemas']['PasswordPolicy'];

let cached: Promise<PasswordPolicy> | null = null;

export function loadPasswordPolicy(): Promise<PasswordPolicy> {
  cached ??= api.get<PasswordPolicy>('/auth/password-policy', { skipAuthHook: true }).catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

/** A hint element that fills in with the policy's sentence, then `extra`. */
export function passwordHint(extra = ''): HTMLElement {
  const el = h('span', { dataset: { passwordHint: '' } }, extra);
  void loadPasswordPolicy()
    .then((p) => {
      el.textContent = extra ? `${p.hint} ${extra}` : p.hint;
    })
    .catch(() => undefined);
  return el;
}
