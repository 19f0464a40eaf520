import { createRequire } from 'node:module';
import path from 'node:path';
import type { Lead, Quote } from '@techmarket/contracts';
import { expect } from 'vitest';
import type { App } from '../../app';
import { createLead } from '../leads/leads.fixtures';

/** Factories for the quotes and tickets tests: every row is made through the public API. */

type Caller = { auth: { authorization: string } };
type Tenant = Caller & { tenantId: string; branchId: string };

let phones = 0;
/** A Peruvian mobile number no other lead of the run has: contacts are deduplicated by phone. */
export const newPhone = () =>
  `+51 9${String(process.pid % 100).padStart(2, '0')}${String(++phones).padStart(6, '0')}`;

/** A lead of the shop's branch, entered by hand with a customer name and a phone of its own. */
export const leadFor = (app: App, shop: Tenant, caller: Caller = shop, name = 'Rosa Quispe Huamán') =>
  createLead(app, shop, { branchId: shop.branchId, contact: { name, phone: newPhone() } }, caller);

export const createQuote = (app: App, caller: Caller, leadId: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/api/v1/leads/${leadId}/create-quote`, headers: caller.auth, payload });

export async function quoteFor(app: App, caller: Caller, lead: Lead, payload: Record<string, unknown>) {
  const response = await createQuote(app, caller, lead.id, payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Quote;
}

export const patchQuote = (app: App, caller: Caller, id: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'PATCH', url: `/api/v1/quotes/${id}`, headers: caller.auth, payload });

export const sendQuote = (app: App, caller: Caller, id: string) =>
  app.inject({ method: 'POST', url: `/api/v1/quotes/${id}/send`, headers: caller.auth });

export async function getLeadStatus(app: App, caller: Caller, leadId: string) {
  const response = await app.inject({ method: 'GET', url: `/api/v1/leads/${leadId}`, headers: caller.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Lead;
}

/** The text of every page of a PDF, as pdf.js reads it (a page per line, items joined by spaces). */
export async function pdfText(data: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const fonts = path.join(
    path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
    'standard_fonts/',
  );
  const loading = getDocument({
    data: new Uint8Array(data),
    standardFontDataUrl: fonts,
  });
  const document = await loading.promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await loading.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}
