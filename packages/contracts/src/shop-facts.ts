import { z } from 'zod';
import { currency, id, isoInstant, textField } from './common';
import { businessHours } from './identity';

/**
 * What a shop says of itself once, so the assistant's replies answer a customer's practical questions (do you
 * deliver to my district, can I pay with Yape, how long is the warranty) from the shop's own words. Every fact
 * may be unknown (null, or an empty list): the reply then says the seller will confirm it, never a guess.
 */

export const paymentMethods = [
  'CARD',
  'CASH',
  'TRANSFER',
  'YAPE',
  'PLIN',
  'PIX',
  'MERCADO_PAGO',
  'NEQUI',
  'BOLETO',
] as const;
export const paymentMethod = z.enum(paymentMethods);
export type PaymentMethod = z.infer<typeof paymentMethod>;

const note = textField().trim().max(300).nullable();
/** An amount in the shop's currency, in minor units (see `money.ts`). */
const amount = z.number().int().min(0).max(100_000_000);

export const deliveryZone = z.object({
  /** A district, city or area as customers name it ("Miraflores", "Zona Sul"). */
  name: textField().trim().min(1).max(60),
  /** 0 is free delivery. */
  price: amount,
  /** How many days it takes, when the shop says. */
  days: z.number().int().min(0).max(60).nullable(),
});
export type DeliveryZone = z.infer<typeof deliveryZone>;

const normalizedName = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim();

export const updateShopFactsBody = z
  .object({
    delivery: z.object({
      /** null: the shop has not said. */
      offered: z.boolean().nullable(),
      zones: z.array(deliveryZone).max(60),
      note,
    }),
    pickup: z.object({ offered: z.boolean().nullable(), note }),
    payment: z.object({
      methods: z.array(paymentMethod).max(paymentMethods.length),
      installments: z.object({
        offered: z.boolean().nullable(),
        /** The most instalments a card purchase may be split into. */
        maxCount: z.number().int().min(2).max(48).nullable(),
        interestFree: z.boolean().nullable(),
      }),
      note,
    }),
    warranty: z.object({
      /** Months of the shop's warranty on what it sells (0: none). */
      months: z.number().int().min(0).max(120).nullable(),
      note,
    }),
    repair: z.object({
      /** Usual working days from drop-off to pick-up. */
      turnaroundDays: z.number().int().min(0).max(90).nullable(),
      /** What a diagnosis costs (0: free). */
      diagnosisPrice: amount.nullable(),
      note,
    }),
    /** Each branch's street address (its hours are the branch's own business hours). */
    branches: z.array(z.object({ branchId: id, address: textField().trim().max(200).nullable() })).max(200),
    /** The version read; a stale one is refused (409) so two people do not overwrite each other. */
    version: z.number().int().min(0).optional(),
  })
  .superRefine((body, context) => {
    const seen = new Set<string>();
    body.delivery.zones.forEach((zone, index) => {
      const key = normalizedName(zone.name);
      if (seen.has(key))
        context.addIssue({
          code: 'custom',
          path: ['delivery', 'zones', index, 'name'],
          message: 'zone named twice',
        });
      seen.add(key);
    });
    const methods = new Set<string>();
    body.payment.methods.forEach((method, index) => {
      if (methods.has(method))
        context.addIssue({
          code: 'custom',
          path: ['payment', 'methods', index],
          message: 'method listed twice',
        });
      methods.add(method);
    });
    const branchIds = new Set<string>();
    body.branches.forEach((branch, index) => {
      if (branchIds.has(branch.branchId))
        context.addIssue({
          code: 'custom',
          path: ['branches', index, 'branchId'],
          message: 'branch listed twice',
        });
      branchIds.add(branch.branchId);
    });
  });
export type UpdateShopFactsInput = z.output<typeof updateShopFactsBody>;

/** What the shop said, with each active branch's name, address and hours (the hours are edited on the branch). */
export const shopFactsSchema = z
  .object({
    currency,
    delivery: z.object({
      offered: z.boolean().nullable(),
      zones: z.array(deliveryZone),
      note: z.string().nullable(),
    }),
    pickup: z.object({ offered: z.boolean().nullable(), note: z.string().nullable() }),
    payment: z.object({
      methods: z.array(paymentMethod),
      installments: z.object({
        offered: z.boolean().nullable(),
        maxCount: z.number().int().nullable(),
        interestFree: z.boolean().nullable(),
      }),
      note: z.string().nullable(),
    }),
    warranty: z.object({ months: z.number().int().nullable(), note: z.string().nullable() }),
    repair: z.object({
      turnaroundDays: z.number().int().nullable(),
      diagnosisPrice: z.number().int().nullable(),
      note: z.string().nullable(),
    }),
    branches: z.array(
      z.object({
        branchId: id,
        name: z.string(),
        zone: z.string().nullable(),
        address: z.string().nullable(),
        timezone: z.string(),
        businessHours,
      }),
    ),
    /** 0 until the shop first saves its facts. */
    version: z.number().int(),
    updatedAt: isoInstant.nullable(),
  })
  .meta({ id: 'ShopFacts' });
export type ShopFacts = z.infer<typeof shopFactsSchema>;

/** The facts of a shop that has said nothing yet: every one unknown. */
export const emptyShopFacts = (): Omit<ShopFacts, 'currency' | 'branches' | 'version' | 'updatedAt'> => ({
  delivery: { offered: null, zones: [], note: null },
  pickup: { offered: null, note: null },
  payment: { methods: [], installments: { offered: null, maxCount: null, interestFree: null }, note: null },
  warranty: { months: null, note: null },
  repair: { turnaroundDays: null, diagnosisPrice: null, note: null },
});
