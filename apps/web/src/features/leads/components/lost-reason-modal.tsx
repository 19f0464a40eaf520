import { Button, Group, Modal, Radio, Stack } from '@mantine/core';
import type { LostReason } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lostReasonList as lostReasons } from '../../../lib/domain';

/** Moving a lead to LOST needs a reason (the campaigns' "lost by price" segment reads it). */
export function LostReasonModal({
  opened,
  onConfirm,
  onCancel,
}: {
  opened: boolean;
  onConfirm: (reason: LostReason) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<LostReason | null>(null);
  return (
    <Modal opened={opened} onClose={onCancel} title={t('lead.lostTitle')} centered>
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('lead.cancel')}
          </Button>
          <Button disabled={!reason} onClick={() => reason && onConfirm(reason)}>
            {t('lead.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
