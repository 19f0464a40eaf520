/**
 * The one error type of the application. Services throw it with a code from a closed set;
 * the HTTP layer maps the code to a status once and renders RFC 9457 problem+json once.
 */
export const errorCodes = {
  VALIDATION: { status: 400, title: 'Invalid request' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  VERSION_CONFLICT: { status: 409, title: 'The resource was changed by someone else' },
  GONE: { status: 410, title: 'No longer available' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable request' },
  INVALID_TRANSITION: { status: 422, title: 'Transition not allowed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (detail = 'Your role does not allow this action') =>
  new AppError('FORBIDDEN', detail);
/** A 422 tied to one field of the request body. */
export const invalidField = (path: string, message: string) =>
  new AppError('UNPROCESSABLE', `${path}: ${message}`, { errors: [{ path, message }] });
/** A 400 tied to one field, for input that is malformed rather than merely unacceptable. */
export const badField = (path: string, message: string) =>
  new AppError('VALIDATION', `${path}: ${message}`, { errors: [{ path, message }] });
