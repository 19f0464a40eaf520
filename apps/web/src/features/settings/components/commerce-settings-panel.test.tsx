import {
  type CommerceSettings,
  commerceSettingsSchema,
  updateCommerceSettingsBody,
} from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, problem, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { parsePercent, percentText } from '../api/commerce-settings';
import { CommerceSettingsPanel } from './commerce-settings-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const settings: CommerceSettings = {
  currency: 'PEN',
  taxName: 'IGV',
  taxRateBps: 1800,
  pricesIncludeTax: true,
  quoteValidDays: 7,
  slaHours: { HIGH: 8, MEDIUM: 24, LOW: 72 },
  customized: false,
};
const path = `/tenants/${tenantId}/commerce-settings`;

/** The API: GET answers the settings, each PATCH is recorded (as sent) and answered by `answer`. */
function serveSettings(answer: (body: Record<string, unknown>) => CommerceSettings | Response) {
  const patches: unknown[] = [];
  server.use(
    getting(path, commerceSettingsSchema, () => settings),
    sending(
      'patch',
      path,
      { body: updateCommerceSettingsBody, schema: commerceSettingsSchema },
      (body, { sent }) => {
        patches.push(sent);
        return answer(body);
      },
    ),
  );
  return patches;
}

async function changeRateAndSwitch() {
  await renderWithProviders(<CommerceSettingsPanel tenantId={tenantId} />);
  const rate = await screen.findByLabelText(/Tasa/);
  expect(rate).toHaveValue('18');
  expect(screen.getByText(/usa los valores por defecto de su moneda \(PEN\)/)).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Guardar' })).toBeDisabled();
  await userEvent.clear(rate);
  await userEvent.type(rate, '16');
  await userEvent.click(screen.getByLabelText('Los precios del catálogo incluyen el impuesto'));
  await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
  return rate;
}

describe('CommerceSettingsPanel', () => {
  it('sends only the fields that changed, the rate in basis points', async () => {
    const patches = serveSettings((body) => ({
      ...settings,
      ...body,
      slaHours: settings.slaHours,
      customized: true,
    }));
    await changeRateAndSwitch();
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({ taxRateBps: 1600, pricesIncludeTax: false });
    // The form starts again from what the server saved: nothing left to save.
    await waitFor(() => expect(screen.queryByText(/valores por defecto/)).not.toBeInTheDocument());
    expect(screen.getByLabelText(/Tasa/)).toHaveValue('16');
    expect(screen.getByLabelText('Los precios del catálogo incluyen el impuesto')).not.toBeChecked();
    expect(screen.getByRole('button', { name: 'Guardar' })).toBeDisabled();
  });

  it('shows a 400 under the field it names', async () => {
    // A rate the form takes but the server refuses (say, another rule of the API's): it names the field.
    serveSettings(() =>
      problem(400, {
        code: 'VALIDATION',
        detail: 'body.taxRateBps: Too big',
        errors: [{ path: 'body.taxRateBps', message: 'Too big: expected number to be <=10000' }],
      }),
    );
    const rate = await changeRateAndSwitch();
    await waitFor(() => expect(rate).toHaveAttribute('aria-invalid', 'true'));
    expect(rate).toHaveAccessibleDescription('Un porcentaje de 0 a 100, con hasta dos decimales (18 o 18.5)');
    expect(screen.getByLabelText(/Validez/)).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('flags a rate that is not a percentage before sending anything', async () => {
    const patches = serveSettings(() => settings);
    await renderWithProviders(<CommerceSettingsPanel tenantId={tenantId} />);
    const rate = await screen.findByLabelText(/Tasa/);
    await userEvent.clear(rate);
    await userEvent.type(rate, '16.555');
    expect(rate).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Guardar' })).toBeDisabled();
    expect(patches).toHaveLength(0);
  });
});

describe('percentages and basis points', () => {
  it('reads the digits, never a float times 100', () => {
    expect(parsePercent('18')).toBe(1800);
    expect(parsePercent('18.5')).toBe(1850);
    expect(parsePercent('18,5 %')).toBe(1850);
    expect(parsePercent('4.35')).toBe(435); // 4.35 * 100 is 434.99999999999994
    expect(parsePercent('0.07')).toBe(7);
    expect(parsePercent('100')).toBe(10_000);
    for (const text of ['', '18.555', '100.01', '-5', '1e2', 'IGV'])
      expect(parsePercent(text), text).toBeNull();
  });

  it('writes every rate back as the text that reads it', () => {
    expect([1800, 1850, 1825, 5, 0, 10_000].map(percentText)).toEqual([
      '18',
      '18.5',
      '18.25',
      '0.05',
      '0',
      '100',
    ]);
    for (let bps = 0; bps <= 10_000; bps++) expect(parsePercent(percentText(bps))).toBe(bps);
  });
});
