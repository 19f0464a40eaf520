import { Modal } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackCloses } from '../../../lib/back-closes';
import { NewLeadForm } from './new-lead-form';

/** The "Nuevo lead" dialog: full screen on a phone. */
export function NewLeadDialog({
  me,
  onClose,
}: {
  me: ComponentProps<typeof NewLeadForm>['me'];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  useBackCloses(true, onClose);
  return (
    <Modal opened onClose={onClose} title={t('newLead.title')} fullScreen={phone === true}>
      <NewLeadForm me={me} onDone={onClose} />
    </Modal>
  );
}
