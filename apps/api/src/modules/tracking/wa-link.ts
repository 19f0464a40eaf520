import { customAlphabet } from 'nanoid';

/**
 * The wa.me deep link a click opens, with a prefilled message that names the product and carries the
 * lead's reference code: WhatsApp passes nothing else through, so the code in the customer's first
 * message is what ties the chat back to the lead.
 */

// Link codes are global and public: longer, so they cannot be walked.
export const newLinkCode = customAlphabet('23456789abcdefghjkmnpqrstuvwxyz', 8);

export interface WaMessageInput {
  /** E.164, e.g. +51987654321. */
  branchPhone: string;
  /** ISO country of the branch: Brazilian branches get Portuguese. */
  country: string | null;
  listingTitle: string | null;
  refCode: string;
}

export function prefilledMessage({ country, listingTitle, refCode }: Omit<WaMessageInput, 'branchPhone'>) {
  if (country === 'BR') {
    return listingTitle
      ? `Olá! Tenho interesse em «${listingTitle}», que vi no TechMarket. Ainda está disponível? (Ref: ${refCode})`
      : `Olá! Vi sua loja no TechMarket e gostaria de mais informações. (Ref: ${refCode})`;
  }
  return listingTitle
    ? `¡Hola! Me interesa «${listingTitle}», que vi en TechMarket. ¿Sigue disponible? (Ref: ${refCode})`
    : `¡Hola! Vi su tienda en TechMarket y quisiera más información. (Ref: ${refCode})`;
}

export function whatsappUrl(input: WaMessageInput): string {
  const digits = input.branchPhone.replace(/\D/g, '');
  return `https://wa.me/${digits}?text=${encodeURIComponent(prefilledMessage(input))}`;
}

/** Only ever redirect to WhatsApp: anything else would make /w/{code} an open redirect. */
export const isWhatsappUrl = (url: string) => /^https:\/\/wa\.me\/\d{6,15}(\?|$)/.test(url);
