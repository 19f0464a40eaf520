import { Button, Group, Modal, Text } from '@mantine/core';
import type { LeadDetail } from '@techmarket/contracts';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackCloses } from '../../../lib/back-closes';
import { formatPhone } from '../../../lib/phone';
import { useUpdateLead } from '../hooks/use-update-lead';

/**
 * "¿Le escribiste?" on coming back from wa.me (`useWroteBack` says when): "Sí" moves the lead to CONTACTED,
 * which stamps its first response, once, however many times it is tapped.
 */
export function WroteBackPrompt({
  lead,
  asking,
  done,
}: {
  lead: LeadDetail;
  asking: boolean;
  done: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateLead();
  const answered = useRef(false);
  useBackCloses(asking, done);
  useEffect(() => {
    if (asking) answered.current = false;
  }, [asking]);
  const name = lead.contact.name ?? formatPhone(lead.contact.phone);

  const yes = () => {
    // The closing modal stays under the finger for a moment: a second tap must not send a second move.
    if (answered.current) return;
    answered.current = true;
    done();
    update.mutate({ lead, change: { status: 'CONTACTED', version: lead.version } });
  };

  return (
    <Modal opened={asking} onClose={done} title={t('assistant.wroteBackTitle')} centered>
      <Text size="sm">{t('assistant.wroteBackBody', { name })}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={done}>
          {t('assistant.wroteBackNo')}
        </Button>
        <Button color="green" onClick={yes} data-autofocus>
          {t('assistant.wroteBackYes')}
        </Button>
      </Group>
    </Modal>
  );
}
