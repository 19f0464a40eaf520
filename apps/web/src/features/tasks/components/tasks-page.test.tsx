import { notifications } from '@mantine/notifications';
import {
  campaignReplyBody,
  campaignReplySchema,
  createTaskBody,
  followupRunSchema,
  type Task,
  taskSchema,
  updateTaskBody,
  userSchema,
} from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listing, posting, sending } from '../../../test/mocks/api';
import { aUser } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { snoozeUntil } from '../api/tasks';
import { LeadTasks } from './lead-tasks';
import { TasksView } from './tasks-page';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const task: Task = {
  id: '0190f0f0-0000-7000-8000-0000000000a1',
  tenantId,
  leadId: '0190f0f0-0000-7000-8000-000000000001',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  assigneeUserId: '0190f0f0-0000-7000-8000-000000000009',
  kind: 'FOLLOW_UP',
  title: 'Seguir la cotización',
  note: null,
  suggestedMessage: 'Hola Rosa, ¿pudiste revisar la cotización?',
  dueAt: '2026-11-26T15:00:00.000Z',
  status: 'OPEN',
  ruleKey: null,
  completedAt: null,
  createdByUserId: null,
  createdAt: '2026-11-25T15:00:00.000Z',
  updatedAt: '2026-11-25T15:00:00.000Z',
  version: 3,
  lead: {
    id: '0190f0f0-0000-7000-8000-000000000001',
    status: 'QUOTED',
    contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  },
};

/** The API of the task screens: `tasks` in every list, `users` as the team; every request is recorded with its body. */
function mockApi(tasks: Task[], users: { id: string; name: string }[] = []) {
  server.use(
    listing(
      `/tenants/${tenantId}/users`,
      userSchema,
      users.map((user) => aUser({ ...user, tenantId, role: 'SELLER' })),
    ),
    listing(`/tenants/${tenantId}/tasks`, taskSchema, tasks),
    sending('patch', '/tasks/:id', { body: updateTaskBody, schema: taskSchema }, (body) => ({
      ...task,
      ...body,
      version: 4,
    })),
    posting(`/tenants/${tenantId}/followups/run`, followupRunSchema, () => ({
      evaluated: 4,
      tasksCreated: 3,
      dormant: 1,
      reassigned: 0,
      reminded: 0,
      stamped: 2,
    })),
    sending('post', '/leads/:leadId/tasks', { body: createTaskBody, schema: taskSchema }, () => ({
      ...task,
      id: '0190f0f0-0000-7000-8000-0000000000a9',
      title: 'x',
    })),
    sending(
      'post',
      `/tenants/${tenantId}/campaign-replies`,
      { body: campaignReplyBody, schema: campaignReplySchema },
      () => ({
        sendId: '0190f0f0-0000-7000-8000-0000000000e9',
        campaignId,
        refCode: 'C7K2M9',
        leadId: replyLeadId,
        created: true,
        repliedAt: '2026-11-26T15:30:00.000Z',
      }),
    ),
  );
  return recordRequests({ bodies: true });
}

const campaignId = '0190f0f0-0000-7000-8000-0000000000c1';
const replyLeadId = '0190f0f0-0000-7000-8000-0000000000e1';
/** The task of a reactivation message: the seller sends the link; the customer may answer with its code. */
const reactivationTask: Task = {
  ...task,
  id: '0190f0f0-0000-7000-8000-0000000000a2',
  title: 'Campaña «Te extrañamos»: enviar el mensaje por WhatsApp',
  suggestedMessage: '¡Hola Rosa! Volvió a bajar de precio la laptop que viste. (Ref: C7K2M9)',
  ruleKey: `campaign:${campaignId}:${task.lead.contact.id}`,
  lead: { ...task.lead, status: 'LOST' },
  campaignRef: { campaignId, refCode: 'C7K2M9' },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TasksView', () => {
  it("lists today's own tasks and marks one done in one tap", async () => {
    const calls = mockApi([task]);
    await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" />);
    const card = await screen.findByTestId('task-card');
    expect(card).toHaveTextContent('Seguir la cotización');
    expect(card).toHaveTextContent('Rosa Huamán');
    expect(card).toHaveTextContent('Seguimiento');
    expect(within(card).getByRole('link', { name: 'Enviar por WhatsApp' })).toHaveAttribute(
      'href',
      expect.stringContaining('https://wa.me/51987654321?text='),
    );
    const list = calls.find((c) => c.path.includes('/tasks?'));
    expect(list?.path).toContain('due=today');
    expect(list?.path).toContain('assignee=me');

    await userEvent.click(screen.getByRole('button', { name: 'Marcar «Seguir la cotización» como hecha' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe(`/api/v1/tasks/${task.id}`);
    expect(patch?.body).toEqual({ status: 'DONE', version: 3 });
  });

  it('snoozes an hour in one tap, and to tomorrow 9:00 from the arrow', async () => {
    const calls = mockApi([task]);
    await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" />);
    await screen.findByTestId('task-card');
    const before = Date.now();
    await userEvent.click(screen.getByRole('button', { name: 'Posponer «Seguir la cotización» una hora' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const hour = calls.find((c) => c.method === 'PATCH')?.body as { dueAt: string; version: number };
    expect(hour.version).toBe(3);
    expect(Date.parse(hour.dueAt)).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(Date.parse(hour.dueAt)).toBeLessThanOrEqual(Date.now() + 3_600_000);

    await userEvent.click(
      screen.getByRole('button', { name: 'Otras opciones para posponer «Seguir la cotización»' }),
    );
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Mañana 9:00' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    const tomorrow = calls.filter((c) => c.method === 'PATCH')[1]?.body as { dueAt: string };
    expect(tomorrow.dueAt).toBe(snoozeUntil('tomorrow', 'America/Lima'));
  });

  it('switches to overdue, shows the empty state, and snoozes to tomorrow 9:00 in the shop zone', async () => {
    const calls = mockApi([]);
    await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" />);
    await screen.findByText('No hay tareas aquí.');
    await userEvent.click(screen.getByText('Vencidas'));
    await waitFor(() => expect(calls.some((c) => c.path.includes('due=overdue'))).toBe(true));

    // 2026-11-26 22:30 in Lima (UTC-5) → tomorrow 09:00 Lima = 14:00 UTC.
    expect(snoozeUntil('tomorrow', 'America/Lima', Date.parse('2026-11-27T03:30:00Z'))).toBe(
      '2026-11-27T14:00:00.000Z',
    );
    expect(snoozeUntil('hour', 'America/Lima', Date.parse('2026-11-27T03:30:00Z'))).toBe(
      '2026-11-27T04:30:00.000Z',
    );
  });

  it('lets a manager run the follow-up engine now and reloads the tasks', async () => {
    const calls = mockApi([]);
    await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" canRunEngine />);
    await screen.findByText('No hay tareas aquí.');
    const lists = () => calls.filter((c) => c.path.includes('/tasks?')).length;
    const before = lists();
    await userEvent.click(screen.getByRole('button', { name: 'Revisar seguimientos ahora' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.path).toBe(`/api/v1/tenants/${tenantId}/followups/run`);
    await waitFor(() => expect(lists()).toBeGreaterThan(before));
  });

  it("names each task's assignee when the list is the team's", async () => {
    const calls = mockApi([task], [{ id: task.assigneeUserId ?? '', name: 'Kevin Delgado' }]);
    await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" defaultAssignee="" />);
    const card = await screen.findByTestId('task-card');
    await waitFor(() => expect(card).toHaveTextContent('Responsable: Kevin Delgado'));
    expect(calls.find((c) => c.path.includes('/tasks?'))?.path).not.toContain('assignee=');
  });

  it('records the customer’s reply to a reactivation message by its code, then opens the lead it landed on', async () => {
    const calls = mockApi([reactivationTask, task]);
    const shown = vi.spyOn(notifications, 'show');
    const { router } = await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" />);
    const [campaignCard, plainCard] = await screen.findAllByTestId('task-card');
    if (!campaignCard || !plainCard) throw new Error('two cards');
    // Only the campaign's task offers it.
    expect(within(plainCard).queryByRole('button', { name: /respondió/i })).toBeNull();
    const replied = within(campaignCard).getByRole('button', {
      name: 'Rosa Huamán respondió al mensaje C7K2M9',
    });
    expect(replied).toHaveTextContent('Respondió');

    await userEvent.click(replied);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/leads/${replyLeadId}`));
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toEqual([
      {
        path: `/api/v1/tenants/${tenantId}/campaign-replies`,
        method: 'POST',
        body: { refCode: 'C7K2M9' },
      },
    ]);
    expect(shown).toHaveBeenCalledWith(
      expect.objectContaining({
        color: 'green',
        message: 'Respuesta registrada: un lead nuevo de la campaña',
      }),
    );
  });

  it('a seller does not see the engine button', async () => {
    mockApi([]);
    await renderWithProviders(<TasksView tenantId={tenantId} timeZone="America/Lima" />);
    await screen.findByText('No hay tareas aquí.');
    expect(screen.queryByRole('button', { name: 'Revisar seguimientos ahora' })).toBeNull();
  });
});

describe('LeadTasks', () => {
  it("lists the lead's open tasks and adds «seguir en 24 h» due a day from now", async () => {
    const calls = mockApi([task]);
    await renderWithProviders(<LeadTasks tenantId={tenantId} leadId={task.leadId} timeZone="America/Lima" />);
    const card = await screen.findByTestId('task-card');
    expect(card).toHaveTextContent('Seguir la cotización');
    // On the lead's own page the card does not link back to the lead.
    expect(within(card).queryByRole('link', { name: 'Rosa Huamán' })).toBeNull();
    expect(calls.find((c) => c.path.includes('/tasks?'))?.path).toContain(`leadId=${task.leadId}`);

    const submit = screen.getByRole('button', { name: 'Agregar tarea' });
    expect(submit).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Seguir en 24 h' }));
    expect(screen.getByLabelText('Qué hay que hacer')).toHaveValue('Seguir en 24 h');
    expect(screen.getByLabelText('Para cuándo')).toHaveValue('day');
    const clicked = Date.now();
    await userEvent.click(submit);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe(`/api/v1/leads/${task.leadId}/tasks`);
    const body = post?.body as { title: string; dueAt: string };
    expect(body.title).toBe('Seguir en 24 h');
    const dueIn = Date.parse(body.dueAt) - clicked;
    expect(dueIn).toBeGreaterThan(86_400_000 - 60_000);
    expect(dueIn).toBeLessThanOrEqual(86_400_000 + 60_000);
    // The title is cleared for the next one, and the lead's tasks are read again.
    await waitFor(() => expect(screen.getByLabelText('Qué hay que hacer')).toHaveValue(''));
    await waitFor(() => expect(calls.filter((c) => c.path.includes('/tasks?')).length).toBeGreaterThan(1));
  });
});
