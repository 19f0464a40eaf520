import {
  type LeadDetail,
  quickReplySchema,
  sendMessageBody,
  type WhatsappTemplate,
  whatsappMessageSchema,
  whatsappTemplateListSchema,
} from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { formatMoney } from '../../../lib/format';
import { getting, listing, problem, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { fillTemplate, MessageComposer } from './message-composer';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const branchId = '0190f0f0-0000-7000-8000-000000000003';
const leadId = '0190f0f0-0000-7000-8000-000000000001';
const lead = {
  id: leadId,
  tenantId,
  branchId,
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Quispe', phone: '+51987654321' },
  listing: {
    id: '0190f0f0-0000-7000-8000-000000000005',
    title: 'Laptop Lenovo IdeaPad 3',
    price: 249900,
    currency: 'PEN',
    stock: 4,
  },
  assistance: {
    id: '0190f0f0-0000-7000-8000-000000000006',
    suggestedReply: 'Hola Rosa, sí tenemos la Lenovo IdeaPad 3 a S/ 2,499.00. ¿Te la separo?',
  },
} as unknown as LeadDetail;

const template = (changes: Partial<WhatsappTemplate>): WhatsappTemplate => ({
  id: '0190f0f0-0000-7000-8000-000000000020',
  name: 'seguimiento_oferta',
  language: 'es',
  status: 'APPROVED',
  category: 'MARKETING',
  bodyText: 'Hola {{1}}, ¿sigues interesado en {{2}} a {{3}}?',
  variableCount: 3,
  components: [],
  syncedAt: '2026-11-26T15:00:00.000Z',
  ...changes,
});
const templates = [
  template({}),
  template({ id: '0190f0f0-0000-7000-8000-000000000021', name: 'en_revision', status: 'PENDING' }),
];

const unprocessable = (path: string, message: string, code: string) =>
  problem(422, { code: 'UNPROCESSABLE', detail: `${path}: ${message}`, errors: [{ path, message, code }] });

const templatesPath = `/tenants/${tenantId}/branches/${branchId}/whatsapp-channel/templates`;

/** GET templates answers the list; each POST of a message is recorded (as sent) and answered by `answer`. */
function stubApi(
  answer: (body: z.output<typeof sendMessageBody>) => z.input<typeof whatsappMessageSchema> | Response,
) {
  const posts: unknown[] = [];
  server.use(
    getting(templatesPath, whatsappTemplateListSchema, () => ({ items: templates })),
    sending(
      'post',
      `/leads/${leadId}/messages`,
      { body: sendMessageBody, schema: whatsappMessageSchema, status: 202 },
      (body, { sent }) => {
        posts.push(sent);
        return answer(body);
      },
    ),
  );
  return posts;
}
const queued = (body: z.output<typeof sendMessageBody>): z.input<typeof whatsappMessageSchema> => ({
  id: '0190f0f0-0000-7000-8000-000000000030',
  leadId,
  direction: 'OUT',
  waMessageId: null,
  type: body.template ? 'template' : 'text',
  text: body.text ?? null,
  template: body.template ?? null,
  status: 'QUEUED',
  error: null,
  media: null,
  createdAt: '2026-11-26T16:00:00.000Z',
});

/** The price as the shop writes it (Intl puts a no-break space after S/). */
const price = formatMoney(249900, 'PEN', 'es-419');

describe('MessageComposer, the window open', () => {
  it("sends free text, and puts the assistant's suggested reply in with one tap", async () => {
    const posts = stubApi(queued);
    await renderWithProviders(
      <MessageComposer lead={lead} window={{ open: true, endsAt: '2026-11-27T15:00:00.000Z' }} />,
    );
    const box = screen.getByLabelText('Mensaje');
    await userEvent.click(
      screen.getByRole('button', { name: 'Usar la respuesta sugerida por el asistente' }),
    );
    expect(box).toHaveValue('Hola Rosa, sí tenemos la Lenovo IdeaPad 3 a S/ 2,499.00. ¿Te la separo?');
    await userEvent.clear(box);
    await userEvent.type(box, '  Sí, nos quedan 4 ');
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(posts).toEqual([{ text: 'Sí, nos quedan 4' }]));
    await waitFor(() => expect(box).toHaveValue(''));
  });

  it('puts a saved quick reply in the box, filled from the lead', async () => {
    server.use(
      getting(templatesPath, whatsappTemplateListSchema, () => ({ items: templates })),
      listing(`/tenants/${tenantId}/quick-replies`, quickReplySchema, [
        {
          id: '0190f0f0-0000-7000-8000-000000000040',
          tenantId,
          title: 'Stock',
          text: 'Hola {nombre}, {producto} está a {precio}.',
          createdAt: '2026-11-26T15:00:00.000Z',
          updatedAt: '2026-11-26T15:00:00.000Z',
          version: 1,
        },
      ]),
    );
    await renderWithProviders(
      <MessageComposer lead={lead} window={{ open: true, endsAt: '2026-11-27T15:00:00.000Z' }} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Respuestas rápidas' }));
    await userEvent.click(await screen.findByText('Stock'));
    expect(screen.getByLabelText('Mensaje')).toHaveValue(
      `Hola Rosa, Laptop Lenovo IdeaPad 3 está a ${price}.`,
    );
  });

  it('shows a 422 naming text under the message', async () => {
    stubApi(() =>
      unprocessable(
        'text',
        'the 24-hour customer-service window closed at 2026-11-26T15:00:00.000Z; send an approved template',
        'WINDOW_CLOSED',
      ),
    );
    await renderWithProviders(
      <MessageComposer lead={lead} window={{ open: true, endsAt: '2026-11-27T15:00:00.000Z' }} />,
    );
    const box = screen.getByLabelText('Mensaje');
    await userEvent.type(box, 'Hola');
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(box).toHaveAttribute('aria-invalid', 'true'));
    expect(box).toHaveAccessibleDescription(/Pasaron 24 horas .* envía una plantilla aprobada/);
    expect(box).toHaveValue('Hola');
  });
});

describe('MessageComposer, the window closed', () => {
  it('offers only approved templates, fills their variables from the lead, and sends them as edited', async () => {
    const posts = stubApi(queued);
    await renderWithProviders(
      <MessageComposer lead={lead} window={{ open: false, endsAt: '2026-11-25T15:00:00.000Z' }} />,
    );
    expect(screen.getByTestId('window-closed-hint')).toHaveTextContent(
      'solo permite enviar una plantilla aprobada',
    );
    expect(screen.queryByLabelText('Mensaje')).not.toBeInTheDocument();
    const picker = screen.getByRole('combobox', { name: 'Plantilla' });
    await waitFor(() => expect(picker).toBeEnabled());
    expect(screen.getByRole('option', { name: 'seguimiento_oferta · es' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: /en_revision/ })).not.toBeInTheDocument();
    await userEvent.selectOptions(picker, 'seguimiento_oferta · es');

    expect(screen.getByLabelText('Variable 1')).toHaveValue('Rosa Quispe');
    expect(screen.getByLabelText('Variable 2')).toHaveValue('Laptop Lenovo IdeaPad 3');
    expect(screen.getByLabelText('Variable 3')).toHaveValue(price);
    await userEvent.clear(screen.getByLabelText('Variable 1'));
    await userEvent.type(screen.getByLabelText('Variable 1'), 'Rosita');
    expect(screen.getByTestId('template-preview')).toHaveTextContent(
      `Hola Rosita, ¿sigues interesado en Laptop Lenovo IdeaPad 3 a ${price.replace(/\s/g, ' ')}?`,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() =>
      expect(posts).toEqual([
        {
          template: {
            name: 'seguimiento_oferta',
            language: 'es',
            variables: ['Rosita', 'Laptop Lenovo IdeaPad 3', price],
          },
        },
      ]),
    );
  });

  it('shows a 422 naming template.name under the picker', async () => {
    stubApi(() =>
      unprocessable(
        'template.name',
        'the template "seguimiento_oferta" is PAUSED at Meta',
        'TEMPLATE_NOT_APPROVED',
      ),
    );
    await renderWithProviders(<MessageComposer lead={lead} window={{ open: false, endsAt: null }} />);
    const picker = screen.getByRole('combobox', { name: 'Plantilla' });
    await waitFor(() => expect(picker).toBeEnabled());
    await userEvent.selectOptions(picker, 'seguimiento_oferta · es');
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(picker).toHaveAttribute('aria-invalid', 'true'));
    expect(picker).toHaveAccessibleDescription(/Meta aún no aprueba esta plantilla/);
  });
});

describe('fillTemplate', () => {
  it('puts each value in its {{n}}, leaving an empty one visible', () => {
    expect(fillTemplate('Hola {{1}}, {{2}} a {{ 3 }}', ['Ana', '', 'S/ 10'])).toBe('Hola Ana, {{2}} a S/ 10');
  });
});
