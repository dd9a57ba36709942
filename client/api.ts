/**
 * The pages' calls to the API with the session cookie (set by the token exchange): the answer's
 * status and body together, so a page can show the server's own error text ("error" names what
 * was wrong) instead of guessing.
 */
export interface Answer<T> {
  status: number;
  body: T & { error?: string };
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: text };
  }
  return { status: res.status, body: parsed as Answer<T>['body'] };
}

/** Who the session is and what it may do (GET /api/session: the server decides). */
export interface Who {
  role: string;
  label: string;
  permissions: string[];
}

export async function whoAmI(): Promise<Who | null> {
  const answer = await call<Who>('GET', '/api/session');
  return answer.status === 200 ? answer.body : null;
}
