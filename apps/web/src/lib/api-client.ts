import type { Problem } from '@techmarket/contracts';
import { v4 as uuidv4 } from 'uuid';

/**
 * The one door to the API. The browser session is the httpOnly cookie set at login; writes must
 * echo the CSRF token the API handed out (at login, or again on `GET /me` after a reload).
 */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** An answer other than 2xx, carrying the problem+json body when the API sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** Raised when the network itself failed (offline, server down), so the UI can say so. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

type QueryValue = string | number | undefined | null;
/** An array repeats its key (`leadId=a&leadId=b`). */
type Query = Record<string, QueryValue | readonly string[]>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** The write's Idempotency-Key when the caller keeps its own; else the running intent's (below). */
  idempotencyKey?: string;
}

/**
 * What the user meant to do once: "add this note", "move this lead to Contactado". Each distinct request it makes
 * keeps one Idempotency-Key for as long as the intent lives, so sending it again (a retry, a second tap, the
 * replay of a write queued while offline) is the same request to the API, which then does it once.
 */
export interface Intent {
  keyFor(request: string): string;
}

export function createIntent(): Intent {
  const keys = new Map<string, string>();
  return {
    keyFor(request) {
      let key = keys.get(request);
      if (key === undefined) {
        key = uuidv4();
        keys.set(request, key);
      }
      return key;
    },
  };
}

let runningIntent: Intent | null = null;
/**
 * Runs `start` with `intent` as the one whose keys the writes it sends carry. Only what `start` sends before its
 * first `await` is seen (apiRequest picks the key synchronously); a later write gets a key of its own.
 */
export function withIntent<T>(intent: Intent, start: () => T): T {
  const outer = runningIntent;
  runningIntent = intent;
  try {
    return start();
  } finally {
    runningIntent = outer;
  }
}

const unauthorizedListeners = new Set<() => void>();
/** Called when a call answers 401: the session ended (expired, revoked, logged out elsewhere). */
export const onUnauthorized = (listener: () => void) => {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
};

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const url = buildUrl(path, options.query);
  const body = options.body === undefined ? null : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== null) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    headers['idempotency-key'] =
      options.idempotencyKey ?? runningIntent?.keyFor(`${method} ${url} ${body ?? ''}`) ?? uuidv4();
  }
  return exchange<T>(path, url, {
    method,
    headers,
    credentials: 'same-origin',
    body,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * A file sent as multipart/form-data (an import): the same session, CSRF token and answers as apiRequest. The
 * browser writes the multipart boundary itself, so no content-type is set here. No Idempotency-Key: the API
 * compares a repeat by its JSON body, which a multipart upload does not have, so two files would look alike.
 */
export async function apiUpload<T>(path: string, form: FormData) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  return exchange<T>(path, buildUrl(path), {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: form,
  });
}

async function exchange<T>(path: string, url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const answer: unknown = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== '/auth/login')
      for (const listener of unauthorizedListeners) listener();
    throw new ApiError(response.status, isProblem(answer) ? answer : null);
  }
  return answer as T;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}
