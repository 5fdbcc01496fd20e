// The API health indicator in the header: GET /api/health answers
// {"status":"ok"} or a 503 JSON error.
import { api, ApiError } from '../api';
import type { Health } from '../types';

type State = 'checking' | 'ok' | 'down';

const RECHECK_MS = 60_000;

export function startHealth(el: HTMLElement | null): void {
  if (!el) return;
  const text = el.querySelector<HTMLElement>('.health__text') ?? el;

  const show = (state: State, label: string, detail = ''): void => {
    el.dataset.state = state;
    text.textContent = label;
    if (detail) el.title = detail;
    else el.removeAttribute('title');
  };

  const check = async (): Promise<void> => {
    try {
      const res = await api.get<Health>('/health', { skipAuthHook: true });
      if (res?.status === 'ok') show('ok', 'API OK', 'The API and its database are reachable.');
      else show('down', 'API degraded', `Health status: ${String(res?.status)}`);
    } catch (err) {
      const msg = err instanceof ApiError ? err.message : 'The health check failed.';
      show('down', 'API unavailable', msg);
    }
  };

  void check();
  window.setInterval(() => {
    if (document.visibilityState === 'visible') void check();
  }, RECHECK_MS);
}
