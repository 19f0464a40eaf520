/**
 * The quote a customer receives, as a one-column A4 PDF made with pdfkit and its built-in Helvetica: Spanish,
 * or Portuguese for Brazilian branches. What it shows is the quote as stored: the shop, the branch, the
 * customer, the seller, each line, the tax as the quote was priced, the totals and the validity.
 */

export type DocumentLanguage = 'es' | 'pt';

export interface QuoteDocument {
  language: DocumentLanguage;
  timeZone: string;
  shopName: string;
  branch: { name: string; phone: string | null; zone: string | null };
  sellerName: string | null;
  customer: { name: string | null; phone: string | null };
  number: number;
  status: string;
  issuedAt: string;
  validUntil: string;
  currency: string;
  taxName: string;
  taxRateBps: number;
  pricesIncludeTax: boolean;
  items: {
    title: string;
    sku: string | null;
    quantity: number;
    unitPrice: number;
    discount: number;
    total: number;
  }[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  notes: string | null;
}

const localeOf: Record<string, string> = {
  PEN: 'es-PE',
  MXN: 'es-MX',
  COP: 'es-CO',
  ARS: 'es-AR',
  CLP: 'es-CL',
  BRL: 'pt-BR',
  USD: 'en-US',
};

/** Minor units as the customer reads them: Intl knows each currency's decimals (CLP has none). */
export function formatMoney(minor: number, currency: string): string {
  const formatter = new Intl.NumberFormat(localeOf[currency] ?? 'es-419', { style: 'currency', currency });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  // Intl separates some symbols with a no-break space; a plain one reads (and copies) the same.
  return formatter.format(minor / 10 ** digits).replace(/\u00a0|\u202f/g, ' ');
}

export const formatQuoteNumber = (n: number) => String(n).padStart(6, '0');

export const formatRate = (bps: number, language: DocumentLanguage) =>
  `${new Intl.NumberFormat(language === 'pt' ? 'pt-BR' : 'es-419', { maximumFractionDigits: 2 }).format(bps / 100)} %`;

export function formatDate(iso: string, language: DocumentLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'pt' ? 'pt-BR' : 'es-419', {
    dateStyle: 'long',
    timeZone,
  }).format(new Date(iso));
}

const words = {
  es: {
    title: 'Cotización',
    number: 'N.º',
    issued: 'Fecha de emisión',
    validUntil: 'Válida hasta',
    branch: 'Sucursal',
    phone: 'WhatsApp',
    customer: 'Cliente',
    seller: 'Vendedor',
    item: 'Descripción',
    qty: 'Cant.',
    unit: 'P. unitario',
    discount: 'Descuento',
    amount: 'Importe',
    subtotal: 'Subtotal',
    totalDiscount: 'Descuentos aplicados',
    total: 'Total',
    included: (tax: string) => `Los precios incluyen ${tax}.`,
    excluded: (tax: string) => `Los precios no incluyen ${tax}; se suma al subtotal.`,
    notes: 'Observaciones',
    footer: 'Precios y disponibilidad sujetos a stock al momento de la compra.',
    statuses: { EXPIRED: 'VENCIDA', REJECTED: 'RECHAZADA', ACCEPTED: 'ACEPTADA' } as Record<string, string>,
    noName: 'Cliente',
  },
  pt: {
    title: 'Orçamento',
    number: 'nº',
    issued: 'Data de emissão',
    validUntil: 'Válido até',
    branch: 'Loja',
    phone: 'WhatsApp',
    customer: 'Cliente',
    seller: 'Vendedor',
    item: 'Descrição',
    qty: 'Qtd.',
    unit: 'Preço unit.',
    discount: 'Desconto',
    amount: 'Valor',
    subtotal: 'Subtotal',
    totalDiscount: 'Descontos aplicados',
    total: 'Total',
    included: (tax: string) => `Os preços incluem ${tax}.`,
    excluded: (tax: string) => `Os preços não incluem ${tax}; somados ao subtotal.`,
    notes: 'Observações',
    footer: 'Preços e disponibilidade sujeitos ao estoque no momento da compra.',
    statuses: { EXPIRED: 'VENCIDO', REJECTED: 'RECUSADO', ACCEPTED: 'ACEITO' } as Record<string, string>,
    noName: 'Cliente',
  },
} as const;

// The built-in fonts encode Windows-1252 only: anything else (an emoji in a name) prints as "?" rather than as
// a wrong glyph.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const printable = (text: string) =>
  [...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.includes(c))
        return c;
      return c === '\n' ? '\n' : '?';
    })
    .join('');

export async function renderQuotePdf(doc: QuoteDocument): Promise<Buffer> {
  // pdfkit (its fonts' code and data) is loaded by the first quote, not by every process at its start.
  const { default: PDFDocument } = await import('pdfkit');
  const t = words[doc.language];
  const money = (minor: number) => formatMoney(minor, doc.currency);
  const date = (iso: string) => formatDate(iso, doc.language, doc.timeZone);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: {
      Title: `${t.title} ${t.number} ${formatQuoteNumber(doc.number)} - ${printable(doc.shopName)}`,
      Author: printable(doc.shopName),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;

  // Header: the shop and the quote's number.
  pdf.font('Helvetica-Bold').fontSize(18).text(printable(doc.shopName), left, 48, { width });
  pdf
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#444')
    .text(
      `${t.branch}: ${printable(doc.branch.name)}${doc.branch.zone ? ` (${printable(doc.branch.zone)})` : ''}` +
        (doc.branch.phone ? ` - ${t.phone}: ${doc.branch.phone}` : ''),
      { width },
    );
  pdf.moveDown(0.8);
  pdf
    .font('Helvetica-Bold')
    .fontSize(15)
    .fillColor('#000')
    .text(`${t.title} ${t.number} ${formatQuoteNumber(doc.number)}`, { width });
  const stamp = t.statuses[doc.status];
  if (stamp) pdf.fontSize(12).fillColor('#b00020').text(stamp, { width }).fillColor('#000');
  pdf.moveDown(0.4).font('Helvetica').fontSize(10);
  pdf.text(`${t.issued}: ${date(doc.issuedAt)}`);
  pdf.text(`${t.validUntil}: ${date(doc.validUntil)}`);
  pdf.text(
    `${t.customer}: ${printable(doc.customer.name ?? t.noName)}${doc.customer.phone ? ` - ${doc.customer.phone}` : ''}`,
  );
  if (doc.sellerName) pdf.text(`${t.seller}: ${printable(doc.sellerName)}`);
  pdf.moveDown(1);

  // The lines: description, quantity, unit price, discount, amount.
  const columns = [
    { label: t.item, width: width - 290, align: 'left' as const },
    { label: t.qty, width: 40, align: 'right' as const },
    { label: t.unit, width: 85, align: 'right' as const },
    { label: t.discount, width: 75, align: 'right' as const },
    { label: t.amount, width: 90, align: 'right' as const },
  ];
  const row = (cells: string[], bold = false) => {
    const top = pdf.y;
    let x = left;
    let bottom = top;
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5);
    cells.forEach((cell, i) => {
      const column = columns[i];
      if (!column) return;
      pdf.text(cell, x, top, { width: column.width - 6, align: column.align });
      bottom = Math.max(bottom, pdf.y);
      x += column.width;
    });
    pdf.y = bottom + 4;
    pdf.x = left;
  };
  const header = () => {
    row(
      columns.map((c) => c.label),
      true,
    );
    pdf
      .moveTo(left, pdf.y)
      .lineTo(left + width, pdf.y)
      .strokeColor('#999')
      .stroke();
    pdf.y += 4;
  };
  header();
  for (const item of doc.items) {
    if (pdf.y > pdf.page.height - 160) {
      pdf.addPage();
      header();
    }
    row([
      printable(item.sku ? `${item.title} (${item.sku})` : item.title),
      String(item.quantity),
      money(item.unitPrice),
      item.discount > 0 ? `-${money(item.discount)}` : '',
      money(item.total),
    ]);
  }
  pdf
    .moveTo(left, pdf.y)
    .lineTo(left + width, pdf.y)
    .strokeColor('#999')
    .stroke();
  pdf.y += 8;

  // Totals, right-aligned: the tax line names the tax and its rate as the quote was priced. They stay together.
  if (pdf.y > pdf.page.height - 220) pdf.addPage();
  const total = (label: string, amount: string, bold = false) => {
    const top = pdf.y;
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 12 : 10);
    pdf.text(label, left + width - 260, top, { width: 160, align: 'right' });
    pdf.text(amount, left + width - 100, top, { width: 100, align: 'right' });
    pdf.x = left;
  };
  // The discounts are already in the lines' amounts: shown first, as what the customer saves.
  if (doc.discount > 0) total(t.totalDiscount, `-${money(doc.discount)}`);
  total(t.subtotal, money(doc.subtotal));
  total(`${doc.taxName} ${formatRate(doc.taxRateBps, doc.language)}`, money(doc.tax));
  total(t.total, money(doc.total), true);
  pdf.moveDown(1).font('Helvetica').fontSize(9).fillColor('#444');
  pdf.text(doc.pricesIncludeTax ? t.included(doc.taxName) : t.excluded(doc.taxName), left, pdf.y, { width });
  if (doc.notes) {
    pdf.moveDown(0.8).font('Helvetica-Bold').fillColor('#000').text(t.notes, { width });
    pdf.font('Helvetica').text(printable(doc.notes), { width });
  }
  pdf.moveDown(1.2).font('Helvetica').fontSize(8).fillColor('#666').text(t.footer, { width });
  pdf.end();
  return done;
}
