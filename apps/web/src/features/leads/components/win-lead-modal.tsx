import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackCloses } from '../../../lib/back-closes';
import { CloseTasksOption } from './close-tasks-option';

/**
 * A confirmation before a lead is won: moving it to Ganado, or recording that the customer accepted a quote. With
 * open tasks it offers to close them too (ticked: a won lead needs no follow-up).
 */
export function WinLeadModal({
  opened,
  title,
  body,
  confirmLabel,
  openTasks,
  onConfirm,
  onCancel,
}: {
  opened: boolean;
  title: string;
  body?: string | undefined;
  confirmLabel: string;
  openTasks: number;
  onConfirm: (closeTasks: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [closeTasks, setCloseTasks] = useState(true);
  useBackCloses(opened, onCancel);
  useEffect(() => {
    if (opened) setCloseTasks(true);
  }, [opened]);
  return (
    <Modal opened={opened} onClose={onCancel} title={title} centered>
      <Stack>
        {body && <Text size="sm">{body}</Text>}
        <CloseTasksOption count={openTasks} checked={closeTasks} onChange={setCloseTasks} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('lead.cancel')}
          </Button>
          <Button color="green" data-autofocus onClick={() => onConfirm(openTasks > 0 && closeTasks)}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
