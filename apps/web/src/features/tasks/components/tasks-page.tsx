import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { Task } from '@techmarket/contracts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportMenu } from '../../../components/export-menu';
import { ListPage } from '../../../components/list-page';
import { formatDateTime, whatsappUrl } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { isAdmin, useSession } from '../../../lib/session';
import { byId, usersQueryOptions } from '../../../lib/tenant-data';
import { campaignsKey, recordCampaignReply } from '../../campaigns';
import { leadsKey } from '../../leads';
import {
  runFollowups,
  type SnoozeOption,
  snoozeOptions,
  snoozeUntil,
  type TaskChange,
  type TaskDue,
  taskDues,
  tasksKey,
  tasksQueryOptions,
  updateTask,
} from '../api/tasks';

const kindColors: Record<Task['kind'], string> = {
  NEW_LEAD_ALERT: 'blue',
  ESCALATION: 'red',
  FOLLOW_UP: 'violet',
  REMINDER: 'gray',
};

/** The signed-in user's tasks: today, overdue and upcoming; done or snoozed in one tap. */
export function TasksPage() {
  const me = useSession();
  // Owners and managers oversee the team's tasks and may run the engine; sellers start on their own.
  return (
    <TasksView
      tenantId={me.tenant.id}
      timeZone={me.tenant.timezone}
      defaultAssignee={isAdmin(me) ? '' : 'me'}
      canRunEngine={isAdmin(me)}
    />
  );
}

export function TasksView({
  tenantId,
  timeZone,
  defaultAssignee = 'me',
  canRunEngine = false,
}: {
  tenantId: string;
  timeZone: string;
  /** `me`, a user id, or '' for everyone. */
  defaultAssignee?: string;
  canRunEngine?: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const run = useApiMutation({
    mutationFn: () => runFollowups(tenantId),
    onSuccess: (result) =>
      notifications.show({
        color: 'green',
        message: t('tasks.runDone', { tasks: result.tasksCreated, dormant: result.dormant }),
      }),
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: tasksKey });
      void queryClient.invalidateQueries({ queryKey: leadsKey });
    },
  });
  const [due, setDue] = useState<TaskDue>('today');
  const [assignee, setAssignee] = useState<string>(defaultAssignee);
  const users = useQuery(usersQueryOptions(tenantId));
  const userById = useMemo(() => byId(users.data), [users.data]);
  const query = useInfiniteQuery(tasksQueryOptions(tenantId, due, assignee || undefined));
  // Past-due tasks read in red on every tab (today's list holds those due earlier today too).
  const now = query.dataUpdatedAt || Date.now();

  return (
    <ListPage
      title={t('tasks.title')}
      actions={
        <Group gap="xs">
          {canRunEngine && (
            <Button size="sm" variant="light" loading={run.isPending} onClick={() => run.mutate()}>
              {t('tasks.runNow')}
            </Button>
          )}
          <ExportMenu tenantId={tenantId} kind="tasks" filters={{ due, assignee, status: 'OPEN' }} />
        </Group>
      }
      filters={
        <Stack gap="sm" mb="sm">
          <SegmentedControl
            fullWidth
            value={due}
            onChange={(value) => setDue(value as TaskDue)}
            data={taskDues.map((value) => ({ value, label: t(`tasks.${value}`) }))}
            aria-label={t('tasks.title')}
          />
          <NativeSelect
            label={t('tasks.assignee')}
            value={assignee}
            onChange={(event) => setAssignee(event.currentTarget.value)}
            data={[
              { value: 'me', label: t('tasks.mine') },
              { value: '', label: t('tasks.everyone') },
              ...(users.data ?? []).map((user) => ({ value: user.id, label: user.name })),
            ]}
          />
        </Stack>
      }
      query={query}
      empty={{ title: t('tasks.empty'), hint: t('tasks.emptyHint') }}
      renderItem={(task) => (
        <TaskCard
          task={task}
          timeZone={timeZone}
          now={now}
          // Whose it is matters when the list is not only mine.
          assigneeName={
            assignee !== 'me' && task.assigneeUserId
              ? (userById.get(task.assigneeUserId)?.name ?? null)
              : null
          }
        />
      )}
    />
  );
}

export function TaskCard({
  task,
  timeZone,
  now,
  showLead = true,
  assigneeName = null,
}: {
  task: Task;
  timeZone: string;
  now: number;
  assigneeName?: string | null;
  /** Off on the lead's own page, where the link would lead back to it. */
  showLead?: boolean;
}) {
  const overdue = Date.parse(task.dueAt) < now;
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useApiMutation({
    mutationFn: (change: TaskChange) => updateTask(task.id, change),
    onSuccess: (updated, change) => {
      notifications.show({
        color: 'green',
        message:
          change.status === 'DONE'
            ? t('tasks.doneToast')
            : t('tasks.snoozedToast', { when: formatDateTime(updated.dueAt, i18n.language, timeZone) }),
      });
    },
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: tasksKey }),
  });
  const navigate = useNavigate();
  // The customer answered the reactivation message this task hands out: record it by its code, open the lead.
  const reply = useApiMutation({
    mutationFn: (refCode: string) => recordCampaignReply(task.tenantId, { refCode }),
    onSuccess: (answer) => {
      notifications.show({
        color: 'green',
        message: answer.created ? t('tasks.repliedNew') : t('tasks.repliedOpen'),
      });
      void navigate({ to: '/leads/$leadId', params: { leadId: answer.leadId } });
    },
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: tasksKey });
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
    },
  });
  const busy = mutation.isPending || reply.isPending;
  const campaignRef = task.campaignRef;
  const snooze = (option: SnoozeOption) =>
    mutation.mutate({ dueAt: snoozeUntil(option, timeZone), version: task.version });
  const name = task.lead.contact.name ?? task.lead.contact.phone ?? '';
  const snoozeLabels: Record<SnoozeOption, string> = {
    hour: t('tasks.snoozeHour'),
    tomorrow: t('tasks.snoozeTomorrow'),
    nextWeek: t('tasks.snoozeNextWeek'),
  };

  return (
    <Paper withBorder p="sm" radius="md" data-testid="task-card">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Badge color={kindColors[task.kind]} variant="light" size="sm">
            {t(`tasks.kind.${task.kind}`)}
          </Badge>
          <Text size="sm" c={overdue ? 'red.8' : 'dimmed'}>
            {t('tasks.due', { when: formatDateTime(task.dueAt, i18n.language, timeZone) })}
          </Text>
        </Group>
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
          {task.title}
        </Text>
        {showLead && (
          <Anchor
            size="sm"
            renderRoot={(props) => <Link {...props} to="/leads/$leadId" params={{ leadId: task.leadId }} />}
          >
            {name || t('tasks.openLead')}
          </Anchor>
        )}
        {assigneeName && (
          <Text size="sm" c="dimmed">
            {t('tasks.assignedTo', { name: assigneeName })}
          </Text>
        )}
        {task.note && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {task.note}
          </Text>
        )}
        {task.suggestedMessage && (
          <Paper bg="var(--mantine-color-default-hover)" p="xs" radius="sm">
            <Text size="xs" c="dimmed">
              {t('tasks.suggested')}
            </Text>
            <Text size="sm">{task.suggestedMessage}</Text>
            {task.lead.contact.phone && (
              <Anchor
                href={whatsappUrl(task.lead.contact.phone, task.suggestedMessage)}
                target="_blank"
                rel="noopener noreferrer"
                size="sm"
              >
                {t('tasks.sendWhatsapp')}
              </Anchor>
            )}
          </Paper>
        )}
        <Group gap="xs" justify="flex-end">
          {campaignRef && (
            <Button
              size="sm"
              variant="light"
              color="teal"
              loading={reply.isPending}
              disabled={busy}
              aria-label={t('tasks.repliedLabel', {
                name: name || task.title,
                code: campaignRef.refCode,
              })}
              onClick={() => reply.mutate(campaignRef.refCode)}
            >
              {t('tasks.replied')}
            </Button>
          )}
          {/* One tap puts it off an hour; the arrow offers tomorrow morning or next week. */}
          <Button.Group>
            <Button
              size="sm"
              variant="default"
              disabled={busy}
              loading={mutation.isPending && mutation.variables?.dueAt !== undefined}
              aria-label={t('tasks.snoozeLabel', { title: task.title })}
              onClick={() => snooze('hour')}
            >
              {t('tasks.snooze')}
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button
                  size="sm"
                  variant="default"
                  px={10}
                  disabled={busy}
                  aria-label={t('tasks.snoozeMore', { title: task.title })}
                >
                  ▾
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {snoozeOptions
                  .filter((option) => option !== 'hour')
                  .map((option) => (
                    <Menu.Item key={option} onClick={() => snooze(option)}>
                      {snoozeLabels[option]}
                    </Menu.Item>
                  ))}
              </Menu.Dropdown>
            </Menu>
          </Button.Group>
          <Button
            size="sm"
            color="green"
            loading={mutation.isPending && mutation.variables?.status === 'DONE'}
            disabled={busy}
            aria-label={t('tasks.markDone', { title: task.title })}
            onClick={() => mutation.mutate({ status: 'DONE', version: task.version })}
          >
            {t('tasks.done')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
