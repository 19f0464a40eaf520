import { Notifications } from '@mantine/notifications';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

afterEach(() => vi.unstubAllGlobals());

describe('useUpdateLead', () => {
  it('sends the version it read, and on a 409 says someone else changed the lead and reloads it', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            type: 'urn:techmarket:problem:version-conflict',
            title: 'The resource was changed by someone else',
            status: 409,
            detail: 'version 3 is stale',
            code: 'VERSION_CONFLICT',
          }),
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        ),
    );
    vi.stubGlobal('fetch', fetch);
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
    expect(fetch).toHaveBeenCalledWith(
      `/api/v1/leads/${leadId}`,
      expect.objectContaining({ method: 'PATCH', body: JSON.stringify({ status: 'QUALIFIED', version: 3 }) }),
    );
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['leads'] });
  });
});
