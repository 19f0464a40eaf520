import { Button, Group, Modal, Radio, Stack } from '@mantine/core';
import type { LostReason } from '@techmarket/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackCloses } from '../../../lib/back-closes';
import { lostReasonList as lostReasons } from '../../../lib/domain';
import { CloseTasksOption } from './close-tasks-option';

/**
 * Moving a lead to LOST needs a reason (the campaigns' "lost by price" segment reads it). Given the lead's open
 * tasks, it offers to close them too (ticked); `closeTasks` says whether the person kept that.
 */
export function LostReasonModal({
  opened,
  onConfirm,
  onCancel,
  title,
  openTasks = 0,
}: {
  opened: boolean;
  onConfirm: (reason: LostReason, closeTasks: boolean) => void;
  onCancel: () => void;
  title?: string | undefined;
  openTasks?: number;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<LostReason | null>(null);
  const [closeTasks, setCloseTasks] = useState(true);
  useBackCloses(opened, onCancel);
  useEffect(() => {
    if (opened) setCloseTasks(true);
  }, [opened]);
  return (
    <Modal opened={opened} onClose={onCancel} title={title ?? t('lead.lostTitle')} centered>
      <Stack>
        <Radio.Group
          label={t('lead.lostReason')}
          value={reason}
          onChange={(value) => setReason(value as LostReason)}
          required
        >
          <Stack gap="xs" mt="xs">
            {lostReasons.map((r) => (
              <Radio key={r} value={r} label={t(`lostReason.${r}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <CloseTasksOption count={openTasks} checked={closeTasks} onChange={setCloseTasks} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('lead.cancel')}
          </Button>
          <Button disabled={!reason} onClick={() => reason && onConfirm(reason, openTasks > 0 && closeTasks)}>
            {t('lead.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
