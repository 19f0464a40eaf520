import { type FollowupPolicy, followupPolicySchema, putFollowupPolicyBody } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { FollowupPolicyPanel } from './followup-policy-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const policy: FollowupPolicy = {
  tenantId,
  newLeadAlertMinutes: 15,
  quotedFollowUpDays: 2,
  dormantAfterDays: 14,
  businessHoursOnly: true,
  reassignAfterMinutes: null,
  holidays: ['2026-12-25'],
  quotedFollowUpTemplate: null,
  updatedAt: null,
  version: 0,
};
const path = `/tenants/${tenantId}/followup-policy`;

describe('FollowupPolicyPanel', () => {
  it('loads the rules and saves them with the version read', async () => {
    const puts: unknown[] = [];
    server.use(
      getting(path, followupPolicySchema, () => policy),
      sending(
        'put',
        path,
        { body: putFollowupPolicyBody, schema: followupPolicySchema },
        (body, { sent }) => {
          puts.push(sent);
          return {
            ...policy,
            ...body,
            reassignAfterMinutes: body.reassignAfterMinutes ?? null,
            holidays: body.holidays ?? policy.holidays,
            quotedFollowUpTemplate: body.quotedFollowUpTemplate ?? policy.quotedFollowUpTemplate,
            version: 1,
          };
        },
      ),
    );
    await renderWithProviders(<FollowupPolicyPanel tenantId={tenantId} />);
    expect(await screen.findByText('La tienda usa las reglas por defecto.')).toBeInTheDocument();
    const alert = screen.getByLabelText(/Avisar de un lead nuevo/);
    await userEvent.clear(alert);
    await userEvent.type(alert, '10');
    await userEvent.click(screen.getByLabelText('Reasignar si sigue sin respuesta'));
    // The holidays on a calendar (loaded with the rules): 25 December is there, 1 January is added.
    await userEvent.click(await screen.findByRole('button', { name: /Feriados/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Mes siguiente' }));
    await userEvent.click(await screen.findByRole('button', { name: '1 enero 2027' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({
      newLeadAlertMinutes: 10,
      quotedFollowUpDays: 2,
      dormantAfterDays: 14,
      businessHoursOnly: true,
      reassignAfterMinutes: 30,
      holidays: ['2026-12-25', '2027-01-01'],
      version: 0,
    });
  });
});
