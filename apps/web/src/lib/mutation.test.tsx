import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeadTasks } from '../features/tasks';
import { renderWithProviders } from '../test/render';
import { apiRequest } from './api-client';
import { useApiMutation } from './mutation';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const leadId = '0190f0f0-0000-7000-8000-000000000001';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Sent {
  method: string;
  url: string;
  key: string | undefined;
  body: string | null;
}

/**
 * A fetch that records each write and answers it only when the test says so, so a write stays in flight for as
 * long as the test needs. `answer` is called with the write's index, and returns what to answer or throws.
 */
function holdingFetch(
  answer: (index: number, sent: Sent) => Response,
  reads: () => Response = () => json({}),
) {
  const writes: Sent[] = [];
  const gates: (() => void)[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (method === 'GET') return reads();
      const headers = (init?.headers ?? {}) as Record<string, string>;
      const sent = {
        method,
        url: String(input),
        key: headers['idempotency-key'],
        body: (init?.body as string) ?? null,
      };
      const index = writes.push(sent) - 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      return answer(index, sent);
    }),
  );
  return {
    writes,
    /** Lets the oldest held write have its answer. */
    release: async () => {
      await waitFor(() => expect(gates.length).toBeGreaterThan(0));
      gates.shift()?.();
    },
  };
}

/** Rows with a switch each, one hook for all: locked per row. */
function Rows() {
  const toggle = useApiMutation({
    mutationFn: (id: string) =>
      fetch(`/api/v1/rows/${id}`, { method: 'PATCH', headers: {} }).then((r) => r.json()),
    lockPer: (id) => id,
  });
  return (
    <>
      <button type="button" onClick={() => toggle.mutate('a')}>
        a
      </button>
      <button type="button" onClick={() => toggle.mutate('b')}>
        b
      </button>
    </>
  );
}

/** Adds the same note on each tap. */
function NoteButton({ retry = 0 }: { retry?: number }) {
  const add = useApiMutation({
    mutationFn: (text: string) => apiRequest('/leads/x/notes', { method: 'POST', body: { text } }),
    retry,
    retryDelay: 0,
  });
  return (
    <button type="button" onClick={() => add.mutate('Llamar a las 5')} data-state={add.status}>
      nota
    </button>
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('a submit is locked while in flight', () => {
  it('a double tap and Enter twice on «Agregar tarea» add one task; the button is busy until the answer', async () => {
    const api = holdingFetch(
      (index) => json({ id: `t${index}` }, 201),
      () => json({ items: [], nextCursor: null }),
    );
    await renderWithProviders(<LeadTasks tenantId={tenantId} leadId={leadId} timeZone="America/Lima" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Seguir en 24 h' }));
    const submit = screen.getByRole('button', { name: 'Agregar tarea' });
    const title = screen.getByLabelText('Qué hay que hacer');
    // Both taps land before React draws the busy button: only the lock stands between them and a second task.
    fireEvent.click(submit);
    fireEvent.click(submit);
    fireEvent.submit(title.closest('form') as HTMLFormElement);
    await waitFor(() => expect(submit).toBeDisabled());
    fireEvent.submit(title.closest('form') as HTMLFormElement);
    await api.release();
    await waitFor(() => expect(title).toHaveValue(''));
    expect(api.writes).toHaveLength(1);
    expect(api.writes[0]).toMatchObject({ method: 'POST', url: `/api/v1/leads/${leadId}/tasks` });
    expect(api.writes[0]?.key).toMatch(/^[0-9a-f-]{36}$/);

    // Once answered, the same preset again is a new task: a new intent with a key of its own.
    await userEvent.click(screen.getByRole('button', { name: 'Seguir en 24 h' }));
    await userEvent.click(submit);
    await api.release();
    await waitFor(() => expect(api.writes).toHaveLength(2));
    expect(api.writes[1]?.key).not.toBe(api.writes[0]?.key);
  });

  it('with lockPer, another item goes at once while the first is in flight; the same item waits', async () => {
    const api = holdingFetch(() => json({}));
    await renderWithProviders(<Rows />);
    fireEvent.click(await screen.findByRole('button', { name: 'a' }));
    fireEvent.click(screen.getByRole('button', { name: 'a' }));
    fireEvent.click(screen.getByRole('button', { name: 'b' }));
    await waitFor(() => expect(api.writes.map((w) => w.url)).toEqual(['/api/v1/rows/a', '/api/v1/rows/b']));
  });
});

describe('one intent, one Idempotency-Key', () => {
  const lostOnce = (index: number) => {
    if (index === 0) throw new TypeError('Failed to fetch');
    return json({ id: `n${index}` }, 201);
  };

  it('a submit after a lost answer sends the same key; after a success, the same note is a new key', async () => {
    const api = holdingFetch(lostOnce);
    await renderWithProviders(<NoteButton />);
    const button = await screen.findByRole('button', { name: 'nota' });
    fireEvent.click(button);
    await api.release();
    await waitFor(() => expect(button).toHaveAttribute('data-state', 'error'));
    // The seller taps again: the same note, so the same key (the first may have arrived).
    fireEvent.click(button);
    await api.release();
    await waitFor(() => expect(button).toHaveAttribute('data-state', 'success'));
    expect(api.writes).toHaveLength(2);
    expect(api.writes[1]?.key).toBe(api.writes[0]?.key);
    expect(api.writes[1]?.body).toBe(api.writes[0]?.body);
    // A new note that says the same is a new intent.
    fireEvent.click(button);
    await api.release();
    await waitFor(() => expect(api.writes).toHaveLength(3));
    expect(api.writes[2]?.key).not.toBe(api.writes[0]?.key);
  });

  it('a retry by TanStack (the app retries a write the network cut off) keeps the key', async () => {
    const api = holdingFetch(lostOnce);
    await renderWithProviders(<NoteButton retry={1} />);
    const button = await screen.findByRole('button', { name: 'nota' });
    fireEvent.click(button);
    await api.release();
    await api.release();
    await waitFor(() => expect(button).toHaveAttribute('data-state', 'success'));
    expect(api.writes).toHaveLength(2);
    expect(api.writes[1]?.key).toBe(api.writes[0]?.key);
  });
});
