import { Button, Card, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import {
  createTask,
  type DueOption,
  dueOptions,
  leadTasksQueryOptions,
  snoozeUntil,
  tasksKey,
} from '../api/tasks';
import { TaskCard } from './tasks-page';

const presets = ['followUp', 'promo', 'call'] as const;
const presetDue: Record<(typeof presets)[number], DueOption> = {
  followUp: 'day',
  promo: 'tomorrow',
  call: 'hour',
};

/** The lead's open tasks and a quick way to add one ("seguir en 24 h", "enviar promo"). */
export function LeadTasks({
  tenantId,
  leadId,
  timeZone,
}: {
  tenantId: string;
  leadId: string;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tasks = useQuery(leadTasksQueryOptions(tenantId, leadId));
  const [title, setTitle] = useState('');
  const [due, setDue] = useState<DueOption>('day');
  const create = useApiMutation({
    mutationFn: (task: { title: string; dueAt: string }) => createTask(leadId, task),
    onSuccess: () => {
      setTitle('');
      notifications.show({ color: 'teal', message: t('tasks.added') });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: tasksKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The due time is fixed on submitting, so a retry of this task sends the very same request.
    if (title.trim()) create.mutate({ title: title.trim(), dueAt: snoozeUntil(due, timeZone) });
  };
  const now = tasks.dataUpdatedAt || Date.now();

  return (
    <Card withBorder>
      <Title order={2} size="h5" mb="xs">
        {t('tasks.leadTasks')}
      </Title>
      {tasks.isPending ? (
        <Loading />
      ) : tasks.isError ? (
        <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tasks.leadNoTasks')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="lead-tasks">
          {tasks.data.items.map((task) => (
            <li key={task.id}>
              <TaskCard task={task} timeZone={timeZone} now={now} showLead={false} />
            </li>
          ))}
        </Stack>
      )}
      <Stack renderRoot={(props) => <form {...props} onSubmit={submit} noValidate />} gap="xs" mt="sm">
        <Group gap={6}>
          {presets.map((preset) => (
            <Button
              key={preset}
              size="compact-sm"
              variant="default"
              onClick={() => {
                setTitle(t(`tasks.preset.${preset}`));
                setDue(presetDue[preset]);
              }}
            >
              {t(`tasks.preset.${preset}`)}
            </Button>
          ))}
        </Group>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            label={t('tasks.newTitle')}
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.currentTarget.value)}
            style={{ flex: '2 1 180px' }}
          />
          <NativeSelect
            label={t('tasks.newDue')}
            value={due}
            onChange={(event) => setDue(event.currentTarget.value as DueOption)}
            data={dueOptions.map((value) => ({ value, label: t(`tasks.when.${value}`) }))}
            style={{ flex: '1 1 120px' }}
          />
          <Button type="submit" loading={create.isPending} disabled={!title.trim()}>
            {t('tasks.add')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
