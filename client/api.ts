/**
 * The pages' calls to the API with the session cookie (set by the token exchange): the answer's
 * status and body together, so a page can show the server's own error text ("error" names what
 * was wrong) instead of guessing.
 */
export interface Answer<T> {
  status: number;
  body: T & { error?: string };
}

/** Status 0 (with an error text) when the server cannot be reached or its answer breaks off. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await res.text();
  } catch {
    return { status: 0, body: { error: 'the server cannot be reached just now' } as Answer<T>['body'] };
  }
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: text };
  }
  return { status: res.status, body: parsed as Answer<T>['body'] };
}

/** A GET's body when it answered 2xx; null otherwise (unreachable, refused, broken off): keep what is shown. */
export async function fetchJson<T>(path: string): Promise<T | null> {
  const answer = await call<T>('GET', path);
  return answer.status >= 200 && answer.status < 300 ? answer.body : null;
}

/** Who the session is and what it may do (GET /api/session: the server decides). */
export interface Who {
  role: string;
  label: string;
  permissions: string[];
  /** The departments and streets an officer is bound to (null: any). */
  scope?: { departments: string[] | null; streets: string[] | null };
}

export async function whoAmI(): Promise<Who | null> {
  const answer = await call<Who>('GET', '/api/session');
  return answer.status === 200 ? answer.body : null;
}
