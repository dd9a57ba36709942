/**
 * The browser side of the session exchange: a `?code=` (a one-time wall link) or `?token=` in the
 * address is posted once to /api/session (which sets an HttpOnly session cookie) and removed from
 * the address bar and history at once. A page that stays up asks for its session every six hours,
 * so the server renews it (past half its life) and a wall left on for months stays signed in. A server that cannot be reached or answers 503 is asked again a few times (the token is
 * then only in memory): a wall opened while its server restarts still gets its session.
 */
const ATTEMPTS = 5;
/** How often a page that stays up asks for its session (the server renews one past half its life). */
const KEEP_ALIVE_MS = 6 * 60 * 60_000;
let keepingAlive = false;
const RETRY_MS = 2_000;

export async function exchangeUrlToken(): Promise<void> {
  if (!keepingAlive) {
    keepingAlive = true;
    setInterval(() => void fetch('/api/session', { credentials: 'same-origin' }).catch(() => undefined), KEEP_ALIVE_MS);
  }
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  const token = url.searchParams.get('token');
  if (!code && !token) return;
  url.searchParams.delete('code');
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const res = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(code ? { code } : { token }),
      credentials: 'same-origin',
    }).catch(() => null);
    if (res && res.status !== 503) return; // set, or refused for a reason a retry will not change
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, RETRY_MS * attempt));
  }
}
