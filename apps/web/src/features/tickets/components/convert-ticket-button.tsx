import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { LeadPriority } from '@techmarket/contracts';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../../components/query-state';
import { useBackCloses } from '../../../lib/back-closes';

// The form downloads when the dialog first opens, not with the lead view.
const ConvertTicketForm = lazy(() =>
  import('./convert-ticket-form').then((m) => ({ default: m.ConvertTicketForm })),
);

/** "Convertir a ticket" on the lead view: a short form, then the new ticket (or the one it already has). */
export function ConvertTicketButton({
  leadId,
  priority,
  defaultSubject,
}: {
  leadId: string;
  priority: LeadPriority;
  defaultSubject?: string | undefined;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  useBackCloses(opened, close);
  return (
    <>
      <Button variant="default" onClick={open}>
        {t('tickets.convert')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('tickets.convertTitle')} size="lg">
        {opened && (
          <Suspense fallback={<Loading />}>
            <ConvertTicketForm
              leadId={leadId}
              priority={priority}
              defaultSubject={defaultSubject}
              onDone={close}
            />
          </Suspense>
        )}
      </Modal>
    </>
  );
}
