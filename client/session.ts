/**
 * The browser side of the token exchange: a `?token=` in the address is posted once to
 * /api/session (which sets an HttpOnly cookie) and removed from the address bar and history.
 */
export async function exchangeUrlToken(): Promise<void> {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return;
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  });
}
