/**
 * The codes of the services' own field rules (zod's issue codes aside), in one place: the API raises them in
 * problem+json `errors[].code`, and the web words each one in the person's language (a test there fails when
 * one has no translation). Rules of the same kind share a code, whatever the field.
 */
export const fieldErrorCodes = [
  'SELLER_NEEDS_BRANCH',
  'NOT_IN_FUTURE',
  'WRONG_PASSWORD',
  'SAME_PASSWORD',
  'USER_INACTIVE',
  'REASON_REQUIRED',
  /** A reason given where the status takes none (only a LOST lead or a REJECTED quote has one). */
  'REASON_NOT_ALLOWED',
  'NO_WHATSAPP_CHANNEL',
  'BRANCH_WITHOUT_WHATSAPP',
  'END_BEFORE_START',
  'RANGE_TOO_LONG',
  /** The id names nothing of this shop (a branch, listing, campaign, reference code…), or nothing active. */
  'NOT_FOUND_IN_SHOP',
  'PHONE_INVALID',
  'CONTACT_WITHOUT_PHONE',
  /** The user cannot take the work: inactive, of another shop, or not working its branch. */
  'ASSIGNEE_NOT_ELIGIBLE',
  /** `me` asked by a caller that is not a signed-in person (an API key). */
  'SIGN_IN_REQUIRED',
  'QUOTE_NOT_DRAFT',
  'CURRENCY_MISMATCH',
  /** A free-text quote line without its title or unit price. */
  'LINE_INCOMPLETE',
  /** A record merged into itself. */
  'SAME_RECORD',
  /** A seller acting on a branch that is not theirs. */
  'BRANCH_NOT_YOURS',
  'AMOUNT_TOO_LARGE',
  'DISCOUNT_TOO_LARGE',
  'CHANNEL_NOT_MANUAL',
  'CURSOR_INVALID',
  'FILE_REQUIRED',
  'FILE_EMPTY',
  'FILE_TOO_LARGE',
  'FILE_FORMAT',
  'FILE_UNREADABLE',
  'IMAGE_FORMAT',
  'IMPORT_KIND_INVALID',
  'MAPPING_INVALID',
  'MAPPING_FIELD_UNKNOWN',
  'MAPPING_COLUMN_MISSING',
  'MAPPING_COLUMN_REQUIRED',
  /** The 24-hour customer-service window is closed, or never opened: only a template can be sent. */
  'WINDOW_CLOSED',
  'TEMPLATE_UNKNOWN',
  'TEMPLATE_NOT_APPROVED',
  'TEMPLATE_VARIABLES',
  'REACTIVATION_ONLY',
  'STANDING_CAMPAIGN_EXISTS',
  'CAMPAIGN_ENDED',
  'CAMPAIGN_NOT_LIVE',
  /** A click without the shop's API key can only name its visitor. */
  'API_KEY_REQUIRED',
  /** An address the server would call (a push endpoint) that is not an https URL of a public host. */
  'NOT_PUBLIC_ADDRESS',
  'IDEMPOTENCY_KEY_REUSED',
  'MALFORMED',
  'ALREADY_USED',
  'LAST_ACTIVE_OWNER',
  'TOKEN_INVALID',
  'ALREADY_ERASED',
  /** WhatsApp (Meta) refused the value: `message` is its own words, shown as they are. */
  'PROVIDER_REFUSED',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];
