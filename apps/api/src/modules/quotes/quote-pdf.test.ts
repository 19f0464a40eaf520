import { describe, expect, it } from 'vitest';
import { formatMoney, type QuoteDocument, renderQuotePdf } from './quote-pdf';
import { pdfText } from './quotes.fixtures';

const base: QuoteDocument = {
  language: 'es',
  timeZone: 'America/Lima',
  shopName: 'TechPeru Store',
  branch: { name: 'Lima – Miraflores', phone: '+51987654321', zone: 'Miraflores' },
  sellerName: 'Lucía Ramos',
  customer: { name: 'Rosa 😀 Quispe', phone: '+51999888777' },
  number: 42,
  status: 'SENT',
  issuedAt: '2030-03-01T14:00:00.000Z',
  validUntil: '2030-03-09T04:59:59.999Z',
  currency: 'PEN',
  taxName: 'IGV',
  taxRateBps: 1800,
  pricesIncludeTax: false,
  items: [],
  subtotal: 0,
  discount: 0,
  tax: 0,
  total: 0,
  notes: null,
};

describe('the quote PDF', () => {
  it('runs over pages with every line, the header again on each, and the totals together', async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      title: `Producto ${i + 1}`,
      sku: null,
      quantity: 1,
      unitPrice: 1000,
      discount: 0,
      total: 1000,
    }));
    const text = await pdfText(
      await renderQuotePdf({ ...base, items, subtotal: 50000, tax: 9000, total: 59000, status: 'EXPIRED' }),
    );
    for (let i = 1; i <= 50; i++) expect(text).toContain(`Producto ${i} `);
    expect(text.match(/Descripción Cant\. P\. unitario/g)?.length).toBeGreaterThan(1);
    expect(text).toContain('Subtotal S/ 500.00 IGV 18 % S/ 90.00 Total S/ 590.00');
    expect(text).toContain('Los precios no incluyen IGV; se suma al subtotal.');
    expect(text).toContain('VENCIDA');
  });

  it('prints what its fonts cannot show as "?", not as a wrong letter', async () => {
    const text = await pdfText(await renderQuotePdf(base));
    expect(text).toContain('Cliente: Rosa ? Quispe');
    expect(text).toContain('Sucursal: Lima – Miraflores (Miraflores)');
  });

  it('formats money in each currency’s own minor units', () => {
    expect(formatMoney(349900, 'PEN')).toBe('S/ 3,499.00');
    expect(formatMoney(349900, 'BRL')).toBe('R$ 3.499,00');
    expect(formatMoney(349900, 'CLP')).toBe('$349.900');
    expect(formatMoney(349900, 'MXN')).toBe('$3,499.00');
  });
});
