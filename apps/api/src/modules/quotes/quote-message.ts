import { type DocumentLanguage, formatDate, formatMoney, formatQuoteNumber } from './quote-pdf';

/** The WhatsApp message that carries a quote to the customer: a short summary and the PDF's link. */
export interface QuoteMessageInput {
  language: DocumentLanguage;
  timeZone: string;
  customerName: string | null;
  shopName: string;
  number: number;
  itemCount: number;
  /** The amount to pay, tax included (whether the shop's list prices include it or not). */
  total: number;
  tax: number;
  currency: string;
  taxName: string;
  validUntil: string;
  pdfUrl: string;
}

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] ?? null;

export function quoteMessage(input: QuoteMessageInput): string {
  const name = firstName(input.customerName);
  const total = formatMoney(input.total, input.currency);
  const taxAmount = formatMoney(input.tax, input.currency);
  const until = formatDate(input.validUntil, input.language, input.timeZone);
  const number = formatQuoteNumber(input.number);
  if (input.language === 'pt') {
    const items = input.itemCount === 1 ? '1 item' : `${input.itemCount} itens`;
    const tax = input.tax > 0 ? `${input.taxName} de ${taxAmount} incluso` : `sem ${input.taxName}`;
    return [
      `Olá${name ? `, ${name}` : ''}! Segue o orçamento nº ${number} da ${input.shopName}:`,
      `${items}, total ${total} (${tax}), válido até ${until}.`,
      `Veja o PDF: ${input.pdfUrl}`,
    ].join('\n');
  }
  const items = input.itemCount === 1 ? '1 producto' : `${input.itemCount} productos`;
  const tax = input.tax > 0 ? `incluye ${input.taxName} de ${taxAmount}` : `sin ${input.taxName}`;
  return [
    `¡Hola${name ? `, ${name}` : ''}! Te enviamos la cotización N.º ${number} de ${input.shopName}:`,
    `${items}, total ${total} (${tax}), válida hasta el ${until}.`,
    `Mira el PDF aquí: ${input.pdfUrl}`,
  ].join('\n');
}

/** wa.me to the customer's number; without one, WhatsApp asks the seller whom to send it to. */
export function customerWhatsappUrl(phone: string | null, text: string): string {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}
