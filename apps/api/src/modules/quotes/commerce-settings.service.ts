import type { CommerceSettings, LeadPriority, UpdateCommerceSettingsInput } from '@techmarket/contracts';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import type { IdentityService } from '../identity';
import { createQuotesRepository } from './quotes.repository';
import { DEFAULT_QUOTE_VALID_DAYS, defaultSlaHours, taxDefaultsFor } from './tax-defaults';

/**
 * A shop's tax rule, quote validity and ticket SLAs. Until the shop changes one, every value is the default of
 * its currency (tax-defaults.ts) and no row exists; the first change stores all of them.
 */
export interface CommerceSettingsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findTenant'>;
}

export function createCommerceSettingsService({ database, clock, identity }: CommerceSettingsDeps) {
  const repo = createQuotesRepository();

  /** The settings in force, read inside the caller's transaction. */
  async function read(tx: Tx, tenantId: string): Promise<CommerceSettings> {
    const tenant = await identity.findTenant(tx, tenantId);
    if (!tenant) throw notFound('Tenant');
    const row = await repo.findSettings(tx, tenantId);
    if (!row) {
      return {
        currency: tenant.defaultCurrency as CommerceSettings['currency'],
        ...taxDefaultsFor(tenant.defaultCurrency),
        quoteValidDays: DEFAULT_QUOTE_VALID_DAYS,
        slaHours: { ...defaultSlaHours },
        customized: false,
      };
    }
    return {
      currency: tenant.defaultCurrency as CommerceSettings['currency'],
      taxName: row.taxName,
      taxRateBps: row.taxRateBps,
      pricesIncludeTax: row.pricesIncludeTax,
      quoteValidDays: row.quoteValidDays,
      slaHours: { HIGH: row.slaHoursHigh, MEDIUM: row.slaHoursMedium, LOW: row.slaHoursLow },
      customized: true,
    };
  }

  return {
    read,
    slaHoursFor: async (tx: Tx, tenantId: string, priority: LeadPriority) =>
      (await read(tx, tenantId)).slaHours[priority] ?? defaultSlaHours[priority],

    get: (tenantId: string) => database.withTenant(tenantId, (tx) => read(tx, tenantId)),

    update: (tenantId: string, input: UpdateCommerceSettingsInput) =>
      database.withTenant(tenantId, async (tx) => {
        const current = await read(tx, tenantId);
        const sla = { ...current.slaHours, ...input.slaHours };
        const at = clock.now().toISOString();
        await repo.upsertSettings(tx, {
          tenantId,
          taxName: input.taxName ?? current.taxName,
          taxRateBps: input.taxRateBps ?? current.taxRateBps,
          pricesIncludeTax: input.pricesIncludeTax ?? current.pricesIncludeTax,
          quoteValidDays: input.quoteValidDays ?? current.quoteValidDays,
          slaHoursHigh: sla.HIGH ?? defaultSlaHours.HIGH,
          slaHoursMedium: sla.MEDIUM ?? defaultSlaHours.MEDIUM,
          slaHoursLow: sla.LOW ?? defaultSlaHours.LOW,
          createdAt: at,
          updatedAt: at,
        });
        return read(tx, tenantId);
      }),
  };
}

export type CommerceSettingsService = ReturnType<typeof createCommerceSettingsService>;
