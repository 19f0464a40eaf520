import { Notifications, notifications } from '@mantine/notifications';
import type { Task } from '@techmarket/contracts';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { useLiveUpdates } from './live-updates';

/** Just enough of EventSource (jsdom has none) for a test to play the server's part. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    super();
    FakeEventSource.instances.push(this);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** The server sends an event of this type with this data. */
  emit(type: string, data: unknown) {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const me = '0190f0f0-0000-7000-8000-000000000010';
const colleague = '0190f0f0-0000-7000-8000-000000000011';
const tasksKey = ['tasks', tenantId, 'today', 'me'];

const dueTask = (changes: Partial<Task>): Partial<Task> => ({
  id: '0190f0f0-0000-7000-8000-000000000020',
  tenantId,
  kind: 'FOLLOW_UP',
  title: 'Llamar a Ana por la laptop',
  dueAt: '2026-11-26T15:00:00.000Z',
  status: 'OPEN',
  assigneeUserId: me,
  ...changes,
});

function LiveUpdates() {
  useLiveUpdates(tenantId, me);
  return null;
}

async function renderLive() {
  const rendered = await renderWithProviders(
    <>
      <Notifications />
      <LiveUpdates />
    </>,
  );
  rendered.queryClient.setQueryData(tasksKey, { pages: [], pageParams: [] });
  const [source] = FakeEventSource.instances;
  if (!source) throw new Error('the hook did not open the stream');
  return { ...rendered, source };
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  act(() => notifications.clean());
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('useLiveUpdates: task.due', () => {
  it('opens the tenant’s stream', async () => {
    const { source } = await renderLive();
    expect(source.url).toBe(`/api/v1/tenants/${tenantId}/stream`);
    expect(source.init?.withCredentials).toBe(true);
  });

  it('says on the page whether the stream is open, reconnecting or closed', async () => {
    const { source } = await renderLive();
    expect(document.documentElement.dataset.live).toBeUndefined();
    act(() => source.onopen?.(new Event('open')));
    expect(document.documentElement.dataset.live).toBe('open');
    act(() => source.onerror?.(new Event('error')));
    expect(document.documentElement.dataset.live).toBe('connecting');
    source.readyState = FakeEventSource.CLOSED;
    act(() => source.onerror?.(new Event('error')));
    expect(document.documentElement.dataset.live).toBe('closed');
  });

  it('tells me when my task comes due, with its title, and refreshes the task lists', async () => {
    const { source, queryClient } = await renderLive();
    expect(queryClient.getQueryState(tasksKey)?.isInvalidated).toBe(false);

    act(() => source.emit('task.due', dueTask({ assigneeUserId: me })));

    expect(await screen.findByText('Nueva tarea vencida: Llamar a Ana por la laptop')).toBeInTheDocument();
    expect(queryClient.getQueryState(tasksKey)?.isInvalidated).toBe(true);
  });

  it('does not tell me about a colleague’s task, but still refreshes the lists', async () => {
    const show = vi.spyOn(notifications, 'show');
    const { source, queryClient } = await renderLive();

    act(() => source.emit('task.due', dueTask({ assigneeUserId: colleague })));

    expect(queryClient.getQueryState(tasksKey)?.isInvalidated).toBe(true);
    expect(show).not.toHaveBeenCalled();
    expect(screen.queryByText(/Nueva tarea vencida/)).not.toBeInTheDocument();
  });
});

describe('useLiveUpdates: new leads', () => {
  const newLead = {
    id: '0190f0f0-0000-7000-8000-000000000040',
    tenantId,
    status: 'NEW',
    contact: { id: '0190f0f0-0000-7000-8000-000000000041', name: 'Rosa Huamán', phone: '+51987654321' },
    assignedToUserId: colleague,
  };

  it('opens the lead in one tap from the "Nuevo lead" toast, and puts the toast away', async () => {
    const user = userEvent.setup();
    const { source, router } = await renderLive();

    act(() => source.emit('lead.created', newLead));

    expect(await screen.findByText('Nuevo lead: Rosa Huamán')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Abrir lead' }));
    await vi.waitFor(() => expect(router.state.location.pathname).toBe(`/leads/${newLead.id}`));
    await vi.waitFor(() => expect(screen.queryByText('Nuevo lead: Rosa Huamán')).not.toBeInTheDocument());
  });

  it('offers the same tap when a lead is assigned to me', async () => {
    const user = userEvent.setup();
    const { source, router } = await renderLive();

    act(() => source.emit('lead.assigned', { ...newLead, status: 'CONTACTED', assignedToUserId: me }));

    expect(await screen.findByText('Lead asignado: Rosa Huamán')).toBeInTheDocument();
    expect(screen.getByText('Contactado')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Abrir lead' }));
    await vi.waitFor(() => expect(router.state.location.pathname).toBe(`/leads/${newLead.id}`));
  });
});

describe('useLiveUpdates: WhatsApp messages', () => {
  const leadsKey = ['leads', tenantId, 'inbox'];
  const message = (changes: object) => ({
    leadId: '0190f0f0-0000-7000-8000-000000000030',
    message: {
      id: '0190f0f0-0000-7000-8000-000000000031',
      leadId: '0190f0f0-0000-7000-8000-000000000030',
      direction: 'OUT',
      waMessageId: null,
      type: 'text',
      text: 'Sí, nos quedan 3',
      template: null,
      status: 'QUEUED',
      error: null,
      media: null,
      createdAt: '2026-11-26T16:00:00.000Z',
      ...changes,
    },
  });

  it("refreshes the inbox for a new message: it is the row's last message", async () => {
    const { source, queryClient } = await renderLive();
    queryClient.setQueryData(leadsKey, { pages: [], pageParams: [] });
    expect(queryClient.getQueryState(leadsKey)?.isInvalidated).toBe(false);

    act(() => source.emit('message.created', message({})));
    await vi.waitFor(() => expect(queryClient.getQueryState(leadsKey)?.isInvalidated).toBe(true));
  });
});
