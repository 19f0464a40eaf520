import {
  branchSchema,
  cancelledTasksSchema,
  type Listing,
  listingSchema,
  page,
  type Quote,
  quoteSchema,
  sentQuoteSchema,
  type Task,
  taskSchema,
  updateQuoteBody,
} from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { writeDraft } from '../../../lib/draft';
import { getting, listing, posting, problem, sending } from '../../../test/mocks/api';
import { aQuote } from '../../../test/mocks/fixtures';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { QuoteView } from './quote-page';

const quote = aQuote();
type UpdateQuoteBody = z.output<typeof updateQuoteBody>;

/**
 * A quote's API: GET answers `current()`; each PATCH is recorded (as sent) and answered by `patch`; sending and
 * revoking the link answer `send` and `revoke`. Counts the reads of the quote. A SENT quote reads its lead's
 * open tasks (to offer closing them when it is accepted): none, here.
 */
function serveQuote(
  current: () => Quote,
  {
    patch = () => current(),
    send,
    revoke = () => current(),
  }: {
    patch?: (body: UpdateQuoteBody) => Quote | Response;
    send?: () => z.input<typeof sentQuoteSchema>;
    revoke?: () => Quote;
  } = {},
) {
  const patches: unknown[] = [];
  const posts: string[] = [];
  const state = { gets: 0 };
  server.use(
    listing(`/tenants/${quote.tenantId}/branches`, branchSchema, []),
    listing(`/tenants/${quote.tenantId}/tasks`, taskSchema, []),
    getting('/quotes/:id', quoteSchema, () => {
      state.gets++;
      return current();
    }),
    sending(
      'patch',
      `/quotes/${quote.id}`,
      { body: updateQuoteBody, schema: quoteSchema },
      (body, { sent }) => {
        patches.push(sent);
        return patch(body);
      },
    ),
    posting(`/quotes/${quote.id}/send`, sentQuoteSchema, () => {
      posts.push(`/api/v1/quotes/${quote.id}/send`);
      return send ? send() : problem(422);
    }),
    posting(`/quotes/${quote.id}/revoke-link`, quoteSchema, () => {
      posts.push(`/api/v1/quotes/${quote.id}/revoke-link`);
      return revoke();
    }),
  );
  return { patches, posts, state };
}

// The first test stubs window.open.
afterEach(() => vi.unstubAllGlobals());

describe('QuoteView', () => {
  it("shows the server's totals and the PDF link, and sending opens the WhatsApp link it returns", async () => {
    const wa = 'https://wa.me/51987654321?text=Hola';
    let current: Quote = quote;
    const { posts } = serveQuote(() => current, {
      send: () => {
        current = { ...quote, status: 'SENT', version: 2 };
        return {
          quote: current,
          pdfUrl: 'https://x/q/abc',
          pdfUrlExpiresAt: '2026-12-03T00:00:00.000Z',
          whatsappUrl: wa,
          message: 'Hola',
        };
      },
    });
    const open = vi.fn();
    vi.stubGlobal('open', open);
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    expect(await screen.findByText('N.º 000042')).toBeInTheDocument();
    expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 1,899.00');
    expect(screen.getByText('Impuesto (IGV)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ver PDF' })).toHaveAttribute(
      'href',
      `/api/v1/quotes/${quote.id}/pdf`,
    );
    expect(screen.getByText('Borrador')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(open).toHaveBeenCalledWith(wa, '_blank', 'noopener,noreferrer'));
    expect(await screen.findByText('Enviada')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Abrir WhatsApp' })).toHaveAttribute('href', wa);
    expect(posts).toEqual([`/api/v1/quotes/${quote.id}/send`]);
  });

  it('revokes the public link of a sent quote, and says so until it is sent again', async () => {
    let current: Quote = { ...quote, status: 'SENT', sentAt: '2026-11-26T16:00:00.000Z', version: 2 };
    const { posts } = serveQuote(() => current, {
      revoke: () => {
        current = { ...current, linksRevokedAt: '2026-11-26T17:00:00.000Z' };
        return current;
      },
    });
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Anular enlace público' }));
    expect(await screen.findByText(/Enlace anulado el/)).toBeInTheDocument();
    expect(posts).toEqual([`/api/v1/quotes/${quote.id}/revoke-link`]);
    expect(screen.queryByRole('button', { name: 'Anular enlace público' })).toBeNull();
  });

  it('offers no link to revoke before the quote was sent', async () => {
    serveQuote(() => quote);
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await screen.findByRole('button', { name: 'Enviar' });
    expect(screen.queryByRole('button', { name: 'Anular enlace público' })).toBeNull();
  });

  it('records the customer accepting a quote, once confirmed', async () => {
    let current: Quote = { ...quote, status: 'SENT', version: 2 };
    const { patches } = serveQuote(() => current, {
      patch: () => {
        current = { ...current, status: 'ACCEPTED', version: 3 };
        return current;
      },
    });
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await screen.findByRole('button', { name: 'Aceptó' });
    // Sent: its lines are what the customer has, so there is no Editar.
    expect(screen.queryByRole('button', { name: 'Editar' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Aceptó' }));
    const dialog = await screen.findByRole('dialog', {
      name: '¿El cliente aceptó la cotización N.º 000042?',
    });
    expect(within(dialog).getByText('El lead pasará a Ganado.')).toBeInTheDocument();
    // No open task: nothing to offer closing.
    expect(within(dialog).queryByRole('checkbox')).toBeNull();
    expect(patches).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sí, aceptó' }));
    expect(await screen.findByText('Aceptada')).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'ACCEPTED', version: 2 }]);
    // Decided: no more sending or deciding.
    expect(screen.queryByRole('button', { name: 'Enviar' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rechazó' })).toBeNull();
    // Only a DRAFT is edited.
    expect(screen.queryByRole('button', { name: 'Editar' })).toBeNull();
  });

  it('records nothing when the acceptance is not confirmed', async () => {
    const { patches } = serveQuote(() => ({ ...quote, status: 'SENT', version: 2 }));
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Aceptó' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancelar' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(patches).toEqual([]);
    expect(screen.getByText('Enviada')).toBeInTheDocument();
  });

  it('offers no Aceptó or Rechazó on a DRAFT: the customer has not seen it yet', async () => {
    serveQuote(() => quote);
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await screen.findByRole('button', { name: 'Enviar' });
    expect(screen.queryByRole('button', { name: 'Aceptó' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rechazó' })).toBeNull();
    expect(screen.getByText(/Cuando la envíes podrás registrar/)).toBeInTheDocument();
  });

  it('asks why before recording a rejection, and shows the reason', async () => {
    let current: Quote = { ...quote, status: 'SENT', version: 2 };
    const { patches } = serveQuote(() => current, {
      patch: (body) => {
        current = { ...current, status: 'REJECTED', rejectionReason: body.lostReason ?? null, version: 3 };
        return current;
      },
    });
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Rechazó' }));
    await screen.findByRole('dialog', { name: '¿El cliente rechazó la cotización N.º 000042?' });
    const confirm = await screen.findByRole('button', { name: 'Confirmar' });
    expect(confirm).toBeDisabled();
    expect(patches).toEqual([]);
    await userEvent.click(screen.getByRole('radio', { name: 'Precio' }));
    await userEvent.click(confirm);
    expect(await screen.findByText('Rechazada: Precio')).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'REJECTED', lostReason: 'PRICE', version: 2 }]);
  });

  describe('editing a DRAFT', () => {
    const item = quote.items[0] as Quote['items'][number];
    const laptop: Listing = {
      id: item.listingId ?? '',
      tenantId: quote.tenantId,
      branchId: null,
      title: item.title,
      category: 'LAPTOPS',
      price: 189900,
      currency: 'PEN',
      stock: 12,
      sku: null,
      active: true,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      version: 1,
    };

    /** The quote's API: GET answers `current`; PATCH is recorded and answered by `patch`; the catalog has the laptop. */
    function stubQuoteApi(start: Quote, patch: (body: UpdateQuoteBody) => Quote | Response) {
      const state = { current: start, gets: 0 };
      server.use(listing(`/tenants/${quote.tenantId}/listings`, listingSchema, [laptop]));
      const served = serveQuote(() => state.current, { patch });
      return {
        patches: served.patches,
        state: {
          get current() {
            return state.current;
          },
          set current(value: Quote) {
            state.current = value;
          },
          get gets() {
            return served.state.gets;
          },
        },
      };
    }

    const openEditor = async () => {
      await userEvent.click(await screen.findByRole('button', { name: 'Editar' }));
      const dialog = await screen.findByRole('dialog', { name: 'Editar cotización N.º 000042' });
      await within(dialog).findByLabelText('Cantidad de Laptop Lenovo IdeaPad');
      return dialog;
    };

    it("opens the builder with the quote's lines and saves them with PATCH and the quote's version", async () => {
      const saved: Quote = {
        ...quote,
        subtotal: 321864,
        tax: 57936,
        total: 379800,
        notes: 'Entrega el lunes',
        items: [{ ...item, quantity: 2, subtotal: 321864, tax: 57936, total: 379800 }],
        version: 2,
      };
      const { patches } = stubQuoteApi(quote, () => saved);
      await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
      const dialog = await openEditor();
      // A seller: no price or discount to type.
      expect(within(dialog).queryByLabelText(/^Descuento de/)).toBeNull();

      const quantity = within(dialog).getByLabelText('Cantidad de Laptop Lenovo IdeaPad');
      await userEvent.clear(quantity);
      await userEvent.type(quantity, '2');
      // The rule copied onto the quote (IGV 18 % inside): 3,798.00 / 1.18 = 3,218.644… -> 3,218.64.
      expect(within(dialog).getByTestId('quote-subtotal')).toHaveTextContent('S/ 3,218.64');
      expect(within(dialog).getByTestId('quote-total')).toHaveTextContent('S/ 3,798.00');
      await userEvent.type(within(dialog).getByLabelText('Notas para el cliente'), 'Entrega el lunes');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Guardar cambios' }));

      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(patches).toEqual([
        { items: [{ listingId: item.listingId, quantity: 2 }], notes: 'Entrega el lunes', version: 1 },
      ]);
      expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 3,798.00');
      expect(screen.getByText('Entrega el lunes')).toBeInTheDocument();
    });

    it("keeps a manager's discount and sends the one typed", async () => {
      const discounted: Quote = {
        ...quote,
        discount: 10000,
        items: [{ ...item, discount: 10000 }],
      };
      const { patches } = stubQuoteApi(discounted, () => ({ ...discounted, version: 2 }));
      await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" canSetPrices />);
      const dialog = await openEditor();
      const discount = within(dialog).getByLabelText('Descuento de Laptop Lenovo IdeaPad');
      expect(discount).toHaveValue('100.00');
      expect(within(dialog).getByLabelText('Precio unitario de Laptop Lenovo IdeaPad')).toHaveValue('');

      await userEvent.clear(discount);
      await userEvent.type(discount, '50');
      // 1,899.00 − 50.00 = 1,849.00 with IGV inside: 1,849.00 / 1.18 = 1,566.949… -> 1,566.95; IGV 282.05.
      expect(within(dialog).getByTestId('quote-discount')).toHaveTextContent('−S/ 50.00');
      expect(within(dialog).getByTestId('quote-subtotal')).toHaveTextContent('S/ 1,566.95');
      expect(within(dialog).getByTestId('quote-tax')).toHaveTextContent('S/ 282.05');
      expect(within(dialog).getByTestId('quote-total')).toHaveTextContent('S/ 1,849.00');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Guardar cambios' }));
      await waitFor(() => expect(patches).toHaveLength(1));
      expect(patches[0]).toEqual({
        items: [{ listingId: item.listingId, quantity: 1, discount: 5000 }],
        version: 1,
      });
    });

    it("warns a seller that a manager's discount goes when the seller saves", async () => {
      stubQuoteApi({ ...quote, discount: 10000, items: [{ ...item, discount: 10000 }] }, () => quote);
      await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
      const dialog = await openEditor();
      expect(within(dialog).getByText(/precios o descuentos que puso un gerente/)).toBeInTheDocument();
      // What saving gives: the catalog price, no discount.
      expect(within(dialog).getByTestId('quote-total')).toHaveTextContent('S/ 1,899.00');
    });

    it("keeps a half-made edit as the user's draft, back after a reload, and forgets it once saved", async () => {
      const userId = '0190f0f0-0000-7000-8000-0000000000a1';
      const { patches } = stubQuoteApi(quote, () => ({ ...quote, version: 2 }));
      const first = await renderWithProviders(
        <QuoteView quoteId={quote.id} timeZone="America/Lima" userId={userId} />,
      );
      let dialog = await openEditor();
      const quantity = within(dialog).getByLabelText('Cantidad de Laptop Lenovo IdeaPad');
      await userEvent.clear(quantity);
      await userEvent.type(quantity, '2');
      await userEvent.type(within(dialog).getByLabelText('Notas para el cliente'), 'Entrega el lunes');
      first.unmount();

      // The page reloaded: the same lines and notes in the editor.
      await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" userId={userId} />);
      dialog = await openEditor();
      expect(within(dialog).getByLabelText('Cantidad de Laptop Lenovo IdeaPad')).toHaveValue('2');
      expect(within(dialog).getByLabelText('Notas para el cliente')).toHaveValue('Entrega el lunes');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Guardar cambios' }));
      await waitFor(() => expect(patches).toHaveLength(1));
      expect(patches[0]).toEqual({
        items: [{ listingId: item.listingId, quantity: 2 }],
        notes: 'Entrega el lunes',
        version: 1,
      });
      await waitFor(() =>
        expect(Object.keys(localStorage).filter((k) => k.startsWith('tm-draft:'))).toEqual([]),
      );
    });

    it('drops a draft made on an older version of the quote: it would undo what changed since', async () => {
      const userId = '0190f0f0-0000-7000-8000-0000000000a1';
      writeDraft(userId, `quote-edit:${quote.id}`, {
        lines: [],
        notes: 'De la versión anterior',
        version: quote.version - 1,
      });
      stubQuoteApi(quote, () => quote);
      await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" userId={userId} />);
      const dialog = await openEditor();
      expect(within(dialog).getByLabelText('Cantidad de Laptop Lenovo IdeaPad')).toHaveValue('1');
      expect(within(dialog).getByLabelText('Notas para el cliente')).toHaveValue('');
      expect(Object.keys(localStorage).filter((k) => k.startsWith('tm-draft:'))).toEqual([]);
    });

    it('says so and reloads the quote when someone else changed it meanwhile (409)', async () => {
      const { state } = stubQuoteApi(quote, () => {
        state.current = { ...quote, notes: 'Cambiada por Ana', version: 2 };
        return problem(409, {
          code: 'VERSION_CONFLICT',
          detail: 'The quote was changed by someone else; reload it and try again',
        });
      });
      await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
      const dialog = await openEditor();
      const gets = state.gets;
      await userEvent.click(within(dialog).getByRole('button', { name: 'Guardar cambios' }));

      expect(await screen.findByRole('alert')).toHaveTextContent(
        /Otra persona cambió esta cotización mientras la editabas/,
      );
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(await screen.findByText('Cambiada por Ana')).toBeInTheDocument();
      expect(state.gets).toBeGreaterThan(gets);
    });
  });

  describe("accepting with the lead's tasks still open", () => {
    const sent: Quote = { ...quote, status: 'SENT', sentAt: '2026-11-26T16:00:00.000Z', version: 2 };
    const task = (id: string, title: string): Task => ({
      id,
      tenantId: sent.tenantId,
      leadId: sent.leadId,
      branchId: sent.branchId,
      assigneeUserId: null,
      kind: 'REMINDER',
      title,
      note: null,
      suggestedMessage: null,
      dueAt: '2026-11-27T15:00:00.000Z',
      status: 'OPEN',
      ruleKey: null,
      completedAt: null,
      createdByUserId: null,
      createdAt: '2026-11-26T15:00:00.000Z',
      updatedAt: '2026-11-26T15:00:00.000Z',
      version: 1,
      lead: { id: sent.leadId, status: 'QUOTED', contact: sent.contact },
    });

    /** The quote, its lead's two open tasks, the decision and the cancel-open call, recorded in order. */
    function shopApi() {
      const calls: string[] = [];
      let current = sent;
      let open = [
        task('0190f0f0-0000-7000-8000-00000000b001', 'Llamar mañana'),
        task('0190f0f0-0000-7000-8000-00000000b002', 'Enviar promo'),
      ];
      server.use(
        getting('/quotes/:id', quoteSchema, () => current),
        listing('/tenants/:tenantId/branches', branchSchema, []),
        getting('/tenants/:tenantId/tasks', page(taskSchema), ({ url }) => {
          expect(url.searchParams.get('leadId')).toBe(sent.leadId);
          return { items: open, nextCursor: null };
        }),
        sending('patch', '/quotes/:id', { body: updateQuoteBody, schema: quoteSchema }, (body) => {
          calls.push(`PATCH ${body.status}`);
          current = { ...current, status: 'ACCEPTED', version: 3 };
          return current;
        }),
        posting('/leads/:id/tasks/cancel-open', cancelledTasksSchema, ({ params }) => {
          calls.push(`cancel-open ${String(params.id)}`);
          const cancelled = open.length;
          open = [];
          return { leadId: String(params.id), cancelled };
        }),
      );
      return calls;
    }

    it('offers to close them too, ticked, and closes them after the quote is accepted', async () => {
      const calls = shopApi();
      await renderWithProviders(<QuoteView quoteId={sent.id} timeZone="America/Lima" />);
      await userEvent.click(await screen.findByRole('button', { name: 'Aceptó' }));
      const dialog = await screen.findByRole('dialog');
      const offer = await within(dialog).findByRole('checkbox', {
        name: 'Cerrar también sus 2 tareas abiertas',
      });
      expect(offer).toBeChecked();
      await userEvent.click(within(dialog).getByRole('button', { name: 'Sí, aceptó' }));
      expect(await screen.findByText('Aceptada')).toBeInTheDocument();
      await waitFor(() => expect(calls).toEqual(['PATCH ACCEPTED', `cancel-open ${sent.leadId}`]));
    });

    it('leaves them open when the offer is unticked', async () => {
      const calls = shopApi();
      await renderWithProviders(<QuoteView quoteId={sent.id} timeZone="America/Lima" />);
      await userEvent.click(await screen.findByRole('button', { name: 'Aceptó' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(await within(dialog).findByRole('checkbox', { name: /Cerrar también/ }));
      await userEvent.click(within(dialog).getByRole('button', { name: 'Sí, aceptó' }));
      expect(await screen.findByText('Aceptada')).toBeInTheDocument();
      expect(calls).toEqual(['PATCH ACCEPTED']);
    });
  });
});
