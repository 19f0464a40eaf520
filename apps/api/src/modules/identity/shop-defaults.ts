import type { BusinessHours } from '@techmarket/contracts';
import { invalidField } from '../../platform/errors';
import { normalizePhone } from '../../platform/phone';
import type { TenantRow } from './identity.repository';

/** What a new branch starts with, at signup or when a shop opens another one. */
export const DEFAULT_HOURS: BusinessHours = {
  mon: [{ open: '09:00', close: '19:00' }],
  tue: [{ open: '09:00', close: '19:00' }],
  wed: [{ open: '09:00', close: '19:00' }],
  thu: [{ open: '09:00', close: '19:00' }],
  fri: [{ open: '09:00', close: '19:00' }],
  sat: [{ open: '09:00', close: '13:00' }],
};

/** A shop's country as its currency suggests: how a phone written without its country code is read. */
export const COUNTRY_BY_CURRENCY: Record<string, string> = {
  PEN: 'PE',
  MXN: 'MX',
  COP: 'CO',
  ARS: 'AR',
  CLP: 'CL',
  BRL: 'BR',
  USD: 'US',
};

/** A branch's WhatsApp number in E.164, or a 4xx naming the field. */
export function branchPhone(
  input: string,
  tenant: Pick<TenantRow, 'defaultCurrency'>,
  field = 'whatsappPhone',
) {
  const phone = normalizePhone(input, COUNTRY_BY_CURRENCY[tenant.defaultCurrency] ?? 'PE');
  if (!phone)
    throw invalidField(
      field,
      'not a valid phone number; write it with the country code, e.g. +51 987 654 321',
      'PHONE_INVALID',
    );
  return phone;
}
