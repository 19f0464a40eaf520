import { z } from 'zod';
import { currencies } from './money';

/**
 * The base of every string the API accepts. PostgreSQL cannot hold two things JSON carries: U+0000 (a NUL fails
 * a text column) and a lone UTF-16 surrogate (`"\ud800"`: JSON.stringify writes it back as that escape, and a
 * jsonb column refuses it). Either would be a 500, so both are refused here, as a 400 naming the field, for every
 * route at once. Build input strings on this, never on a bare `z.string()`.
 */
// The `u` flag reads a string by code points: a surrogate pair (an emoji) is one character outside the class,
// a lone surrogate is a code point inside it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing U+0000 is the point of this pattern.
const storable = /^[^\u0000\uD800-\uDFFF]*$/u;
export const textField = () =>
  z.string().regex(storable, 'must not contain NUL characters or unpaired surrogates');

export const id = z.uuid();
/** An ISO 8601 instant with its offset, in years PostgreSQL and every client handle (1900–9999). */
export const isoInstant = z.iso.datetime({ offset: true }).refine(
  (value) => {
    const at = Date.parse(value);
    return at >= Date.UTC(1900, 0, 1) && at < Date.UTC(10_000, 0, 1);
  },
  { message: 'must be between the years 1900 and 9999' },
);
export const currency = z.enum(currencies);
/** Money is an integer in the currency's minor units: 349900 PEN is S/ 3,499.00. */
export const minorUnits = z.number().int().min(0).max(1_000_000_000_000);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          /** For developers, in English: screens word the failure from `code` and its limit or format. */
          message: z.string(),
          /** zod's issue code (`required` for a missing value), or a rule of the service (`SELLER_NEEDS_BRANCH`…). */
          code: z.string().optional(),
          minimum: z.number().optional(),
          maximum: z.number().optional(),
          format: z.string().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const tenantParams = z.object({ tenantId: id });
export const idParams = z.object({ id });
