import type { CommerceSettings, UpdateCommerceSettingsInput } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

/** Only the fields that change: a field left out keeps its value, even if someone else just set it. */
export const patchCommerceSettings = (tenantId: string, input: UpdateCommerceSettingsInput) =>
  apiRequest<CommerceSettings>(`/tenants/${tenantId}/commerce-settings`, { method: 'PATCH', body: input });

/**
 * A percentage typed by hand ("18", "18.5", "18,5 %") as basis points (1850), read from its digits so no float
 * rounds it; null when it is not a rate from 0 to 100 with at most two decimals (a basis point is 0.01 %).
 */
export function parsePercent(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{0,2}))?$/.exec(text.replace(/[\s\u00a0%]/g, ''));
  if (!match) return null;
  const [, whole = '', fraction = ''] = match;
  const bps = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return bps <= 10_000 ? bps : null;
}

/** Basis points as the percentage to edit (1800 is "18", 1850 "18.5", 5 "0.05"): the inverse of parsePercent. */
export function percentText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
