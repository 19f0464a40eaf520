import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { ExportMenu } from './export-menu';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';

describe('ExportMenu', () => {
  it('offers the list as CSV and Excel, with the filters on screen', async () => {
    await renderWithProviders(
      <ExportMenu
        tenantId={tenantId}
        kind="tickets"
        filters={{ open: true, status: undefined, branchId: '', q: 'rosa díaz' }}
      />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Exportar' }));
    const csv = await screen.findByRole('menuitem', { name: 'CSV (.csv)' });
    const xlsx = screen.getByRole('menuitem', { name: 'Excel (.xlsx)' });
    expect(csv.getAttribute('href')).toBe(
      `/api/v1/tenants/${tenantId}/exports/tickets.csv?open=true&q=rosa+d%C3%ADaz`,
    );
    expect(xlsx.getAttribute('href')).toBe(
      `/api/v1/tenants/${tenantId}/exports/tickets.xlsx?open=true&q=rosa+d%C3%ADaz`,
    );
    expect(csv.hasAttribute('download')).toBe(true);
    expect(screen.getByText('Con los filtros que ves')).toBeTruthy();
  });

  it('speaks the language of the app', async () => {
    await renderWithProviders(<ExportMenu tenantId={tenantId} kind="leads" />, { language: 'en' });
    await userEvent.click(await screen.findByRole('button', { name: 'Export' }));
    expect((await screen.findByRole('menuitem', { name: 'CSV (.csv)' })).getAttribute('href')).toBe(
      `/api/v1/tenants/${tenantId}/exports/leads.csv`,
    );
  });
});
