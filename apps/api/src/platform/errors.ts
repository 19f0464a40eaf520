import type { FieldErrorCode } from '@techmarket/contracts';

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
  /** The e-mail and password open accounts in several shops: the answer lists them; name one in `tenantId`. */
  TENANT_CHOICE: { status: 409, title: 'Choose a shop' },
  VERSION_CONFLICT: { status: 409, title: 'The resource was changed by someone else' },
  GONE: { status: 410, title: 'No longer available' },
  TOO_LARGE: { status: 413, title: 'Content too large' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable request' },
  INVALID_TRANSITION: { status: 422, title: 'Transition not allowed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  ACCOUNT_LOCKED: { status: 429, title: 'Account temporarily locked' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/**
 * What a field's failure is, for clients that word it in the person's language (`message` is English for
 * developers): zod's issue code (`too_small`, `invalid_format`…, `required` for a missing value) with its
 * `minimum`/`maximum`/`format`, or one of `fieldErrorCodes` for a rule of the service.
 */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
}

export { type FieldErrorCode, fieldErrorCodes } from '@techmarket/contracts';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  /** Members the problem carries besides the standard ones (RFC 9457 extension members). */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    options: {
      errors?: FieldError[];
      cause?: unknown;
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (detail = 'Your role does not allow this action') =>
  new AppError('FORBIDDEN', detail);
/** A 422 tied to one field of the request body; `code` names the rule so that a client can word it. */
export const invalidField = (path: string, message: string, code: FieldErrorCode) =>
  new AppError('UNPROCESSABLE', `${path}: ${message}`, { errors: [{ path, message, code }] });
/** A 400 tied to one field, for input that is malformed rather than merely unacceptable. */
export const badField = (path: string, message: string, code: FieldErrorCode) =>
  new AppError('VALIDATION', `${path}: ${message}`, { errors: [{ path, message, code }] });
