// Who is signed in, the accounts they belong to, and which account the site
// is working on. Pages read the current account with currentAccountId() and
// listen to changes with onSessionChange().
//
// The session cookie is HttpOnly, so the page cannot see it. A harmless hint
// in localStorage ("a sign-in happened in this browser") decides whether to
// ask GET /api/me at start: visitors who never signed in cause no 401.
import { api, ApiError } from './api';
import type { components } from './api-types';

/** GET /api/me */
export type Me = components['schemas']['Profile'];

/** One item of GET /api/accounts */
export type AccountSummary = components['schemas']['AccountSummary'];

/** Some endpoints answer {user: Me}, others the profile itself. */
export function asMe(x: Me | { user: Me }): Me {
  return 'user' in x && typeof x.user === 'object' && x.user !== null ? x.user : (x as Me);
}

export interface SessionState {
  /** undefined: not known yet; null: signed out. */
  user: Me | null | undefined;
  accounts: AccountSummary[];
  /** The account pages act on; null when the user has none. */
  accountId: string | null;
}

const HINT_KEY = 'roster.signedIn';
const ACCOUNT_KEY = 'roster.account';

const state: SessionState = { user: undefined, accounts: [], accountId: readStored(ACCOUNT_KEY) };
const listeners = new Set<(s: SessionState) => void>();
let loading: Promise<Me | null> | null = null;

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the choice lasts until the page is reloaded.
  }
}

function emit(): void {
  for (const fn of listeners) {
    try {
      fn(state);
    } catch (err) {
      console.error(err);
    }
  }
}

/** Calls fn on every change of user, accounts or current account. Returns an unsubscribe function. */
export function onSessionChange(fn: (s: SessionState) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function sessionState(): Readonly<SessionState> {
  return state;
}

/** The signed-in user, if known. */
export function currentUser(): Me | null | undefined {
  return state.user;
}

/** Id of the account pages act on (remembered in localStorage), or null. */
export function currentAccountId(): string | null {
  return state.accountId;
}

export function currentAccount(): AccountSummary | null {
  return state.accounts.find((a) => a.id === state.accountId) ?? null;
}

export function accounts(): readonly AccountSummary[] {
  return state.accounts;
}

/** Makes id the current account (it must be one of the user's accounts once they are loaded). */
export function setCurrentAccount(id: string | null): void {
  if (id === state.accountId) return;
  state.accountId = id;
  writeStored(ACCOUNT_KEY, id);
  emit();
}

/** Whether this browser signed in before (the hint the header lays itself out by before /api/me answers). */
export function signInHint(): boolean {
  return readStored(HINT_KEY) === '1';
}

/** Records the user after sign-in, registration, verification or a profile change. */
export function setUser(user: Me): void {
  const changedUser = state.user?.id !== undefined && state.user.id !== user.id;
  state.user = user;
  writeStored(HINT_KEY, '1');
  if (changedUser) {
    state.accounts = [];
    state.accountId = null;
    writeStored(ACCOUNT_KEY, null);
  }
  emit();
}

/** Forgets the user (after sign-out or a 401). The remembered account stays for the next sign-in. */
export function clearSession(): void {
  writeStored(HINT_KEY, null);
  state.user = null;
  state.accounts = [];
  loading = null;
  emit();
}

/**
 * Loads the signed-in user once (GET /api/me) and resolves with it, or with
 * null when nobody is signed in. With force, asks the server again.
 */
export function loadUser(opts: { force?: boolean } = {}): Promise<Me | null> {
  if (!opts.force) {
    if (state.user !== undefined) return Promise.resolve(state.user);
    if (loading) return loading;
    if (readStored(HINT_KEY) !== '1') {
      state.user = null;
      emit();
      return Promise.resolve(null);
    }
  }
  const p: Promise<Me | null> = (async (): Promise<Me | null> => {
    try {
      const me = asMe(await api.get<Me | { user: Me }>('/me', { skipAuthHook: true }));
      setUser(me);
      // An unverified login may not use any account yet.
      if (me.emailVerified) await loadAccounts().catch(() => undefined);
      return me;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        clearSession();
        return null;
      }
      throw err;
    }
  })();
  loading = p;
  const clear = (): void => {
    if (loading === p) loading = null;
  };
  p.then(clear, clear);
  return p;
}

/**
 * Loads the user's accounts (GET /api/accounts) and keeps the current
 * account valid: the remembered one if the user still has it, else the first.
 */
export async function loadAccounts(signal?: AbortSignal): Promise<AccountSummary[]> {
  const res = await api.get<{ items: AccountSummary[] }>('/accounts', signal ? { signal } : {});
  state.accounts = res.items ?? [];
  const usable = state.accounts.filter((a) => a.status !== 'deactivated');
  if (!state.accounts.some((a) => a.id === state.accountId)) {
    state.accountId = (usable[0] ?? state.accounts[0])?.id ?? null;
    writeStored(ACCOUNT_KEY, state.accountId);
  }
  emit();
  return state.accounts;
}

/**
 * Shows an account's new name at once. GET /api/accounts reads the name
 * each membership carries, which the server updates moments after a rename,
 * so the list is corrected here rather than read again.
 */
export function renameAccount(id: string, name: string): void {
  state.accounts = state.accounts.map((a) => (a.id === id ? { ...a, name } : a));
  emit();
}

/**
 * A same-origin path to go to after sign-in, from ?next=; anything else
 * (another origin, //host, /api/...) gives the fallback: no open redirect.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  try {
    const url = new URL(next, location.origin);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return fallback;
    if (url.pathname === '/sign-in') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
