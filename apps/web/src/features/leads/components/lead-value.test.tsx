import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { type LeadUpdate, leadUpdateHandler, newLead } from '../test/fixtures';
import { LeadValue } from './lead-value';

const valued = { ...newLead, value: 249900, currency: 'PEN', valueSource: 'LISTING' as const };

describe('LeadValue', () => {
  it('says what the lead is worth and where that comes from', async () => {
    await renderWithProviders(<LeadValue lead={valued} defaultCurrency="PEN" />);
    const shown = await screen.findByTestId('lead-value');
    expect(shown).toHaveTextContent(/S\/\s2,499\.00/);
    expect(shown).toHaveTextContent('precio del producto');
    // Only a hand value can be given back to the automatic one.
    expect(screen.queryByText('Volver al valor automático')).toBeNull();
  });

  it('sends a value typed by hand in minor units of the chosen currency, with the version read', async () => {
    const changes: LeadUpdate[] = [];
    server.use(leadUpdateHandler(valued, changes));
    await renderWithProviders(<LeadValue lead={valued} defaultCurrency="PEN" />);
    fireEvent.click(await screen.findByText('Editar valor'));
    fireEvent.change(screen.getByLabelText('Moneda'), { target: { value: 'USD' } });
    fireEvent.change(screen.getByLabelText('Valor'), { target: { value: '1999.5' } });
    fireEvent.click(screen.getByText('Guardar valor'));
    await waitFor(() =>
      expect(changes).toEqual([{ value: 199950, currency: 'USD', version: valued.version }]),
    );
  });

  it('refuses an amount the currency cannot have, and gives a hand value back to the automatic one', async () => {
    const changes: LeadUpdate[] = [];
    const manual = { ...valued, value: 100, currency: 'CLP', valueSource: 'MANUAL' as const };
    server.use(leadUpdateHandler(manual, changes));
    await renderWithProviders(<LeadValue lead={manual} defaultCurrency="PEN" />);
    fireEvent.click(await screen.findByText('Editar valor'));
    fireEvent.change(screen.getByLabelText('Valor'), { target: { value: '10.50' } });
    expect(await screen.findByText('Importe no válido para esta moneda')).toBeInTheDocument();
    expect(screen.getByText('Guardar valor').closest('button')).toBeDisabled();
    fireEvent.click(screen.getByText('Cancelar'));
    fireEvent.click(await screen.findByText('Volver al valor automático'));
    await waitFor(() => expect(changes).toEqual([{ value: null, version: manual.version }]));
  });
});
