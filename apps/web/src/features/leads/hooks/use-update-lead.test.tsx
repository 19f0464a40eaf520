import { Notifications } from '@mantine/notifications';
import { leadSchema, updateLeadBody } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { problem, sending } from '../../../test/mocks/api';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { useUpdateLead } from './use-update-lead';

const leadId = '0190f0f0-0000-7000-8000-000000000001';

function MoveButton() {
  const update = useUpdateLead();
  return (
    <button
      type="button"
      onClick={() => update.mutate({ lead: { id: leadId }, change: { status: 'QUALIFIED', version: 3 } })}
    >
      mover
    </button>
  );
}

describe('useUpdateLead', () => {
  it('sends the version it read, and on a 409 says someone else changed the lead and reloads it', async () => {
    const sent: unknown[] = [];
    server.use(
      sending('patch', '/leads/:id', { body: updateLeadBody, schema: leadSchema }, (_body, request) => {
        sent.push(request.sent);
        return problem(409, {
          type: 'urn:techmarket:problem:version-conflict',
          title: 'The resource was changed by someone else',
          detail: 'version 3 is stale',
          code: 'VERSION_CONFLICT',
        });
      }),
    );
    const requests = recordRequests();
    const { queryClient } = await renderWithProviders(
      <>
        <Notifications />
        <MoveButton />
      </>,
    );
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    await userEvent.click(await screen.findByRole('button', { name: 'mover' }));

    expect(
      await screen.findByText(
        'Otra persona cambió este lead hace un momento. Cargamos la versión más reciente.',
      ),
    ).toBeInTheDocument();
    expect(requests).toContainEqual({ method: 'PATCH', path: `/api/v1/leads/${leadId}` });
    expect(sent).toEqual([{ status: 'QUALIFIED', version: 3 }]);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['leads'] });
  });
});
