import { type ShopFacts, shopFactsSchema, updateShopFactsBody } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, problem, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { ShopFactsPanel } from './shop-facts-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const branchId = '0190f0f0-0000-7000-8000-000000000010';
const facts: ShopFacts = {
  currency: 'PEN',
  delivery: { offered: null, zones: [], note: null },
  pickup: { offered: null, note: null },
  payment: { methods: [], installments: { offered: null, maxCount: null, interestFree: null }, note: null },
  warranty: { months: null, note: null },
  repair: { turnaroundDays: null, diagnosisPrice: null, note: null },
  branches: [
    {
      branchId,
      name: 'Miraflores',
      zone: null,
      address: null,
      timezone: 'America/Lima',
      businessHours: { mon: [{ open: '09:00', close: '19:00' }] },
    },
  ],
  version: 0,
  updatedAt: null,
};
const path = `/tenants/${tenantId}/shop-facts`;

/** The API: GET answers the facts last saved, each PUT is recorded (as sent) and answered by `answer`. */
function serveFacts(answer: (body: Record<string, unknown>) => ShopFacts | Response) {
  const puts: unknown[] = [];
  let current = facts;
  server.use(
    getting(path, shopFactsSchema, () => current),
    sending('put', path, { body: updateShopFactsBody, schema: shopFactsSchema }, (body, { sent }) => {
      puts.push(sent);
      const answered = answer(body);
      if (!(answered instanceof Response)) current = answered;
      return answered;
    }),
  );
  return puts;
}

async function addZone(name: string, price: string) {
  await userEvent.click(await screen.findByRole('button', { name: 'Agregar zona' }));
  await userEvent.type(screen.getByLabelText('Zona o distrito'), name);
  await userEvent.type(screen.getByLabelText('Costo (PEN)'), price);
}

describe('ShopFactsPanel', () => {
  it('sends the whole description: amounts in minor units, unset facts as null, the version read', async () => {
    const puts = serveFacts(
      (body) =>
        ({
          ...facts,
          ...body,
          branches: facts.branches.map((branch) => ({ ...branch, address: 'Av. Larco 345' })),
          version: 1,
        }) as ShopFacts,
    );
    await renderWithProviders(<ShopFactsPanel tenantId={tenantId} />);
    await addZone('Miraflores', '10');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Yape' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Tarjeta' }));
    await userEvent.type(screen.getByLabelText('Garantía (meses)'), '12');
    await userEvent.type(screen.getByLabelText('Dirección de Miraflores'), 'Av. Larco 345');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({
      delivery: { offered: null, zones: [{ name: 'Miraflores', price: 1000, days: null }], note: null },
      pickup: { offered: null, note: null },
      payment: {
        methods: ['YAPE', 'CARD'],
        installments: { offered: null, maxCount: null, interestFree: null },
        note: null,
      },
      warranty: { months: 12, note: null },
      repair: { turnaroundDays: null, diagnosisPrice: null, note: null },
      branches: [{ branchId, address: 'Av. Larco 345' }],
      version: 0,
    });
    // The form starts again from what the server saved: nothing left to save.
    await waitFor(() =>
      expect(screen.getByLabelText('Dirección de Miraflores')).toHaveValue('Av. Larco 345'),
    );
    await waitFor(() => expect(screen.getByRole('button', { name: 'Guardar' })).toBeDisabled());
    expect(screen.getByLabelText('Zona o distrito')).toHaveValue('Miraflores');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('flags an amount the currency cannot hold, and sends nothing', async () => {
    const puts = serveFacts(() => facts);
    await renderWithProviders(<ShopFactsPanel tenantId={tenantId} />);
    await addZone('Surco', 'diez');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(screen.getByLabelText('Costo (PEN)')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Costo (PEN)')).toHaveAccessibleDescription(
      'Importe no válido para esta moneda',
    );
    expect(puts).toHaveLength(0);
  });

  it("shows the server's refusal under the field it names", async () => {
    serveFacts(() =>
      problem(400, {
        code: 'VALIDATION',
        detail: 'body.delivery.zones.0.name: zone named twice',
        errors: [{ path: 'body.delivery.zones.0.name', message: 'zone named twice' }],
      }),
    );
    await renderWithProviders(<ShopFactsPanel tenantId={tenantId} />);
    await addZone('Miraflores', '10');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Zona o distrito')).toHaveAttribute('aria-invalid', 'true'),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says when someone else saved in between', async () => {
    serveFacts(() => problem(409, { code: 'VERSION_CONFLICT', detail: 'version 0 is stale (now 1)' }));
    await renderWithProviders(<ShopFactsPanel tenantId={tenantId} />);
    await addZone('Lince', '8');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Alguien guardó estos datos mientras los editabas',
    );
  });
});
