import { Button, Modal } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../../components/query-state';
import { useSession } from '../../../lib/session';

// The form (and the phone numbering metadata it reads) downloads when the dialog first opens.
const NewLeadForm = lazy(() => import('./new-lead-form').then((m) => ({ default: m.NewLeadForm })));

/** "Nuevo lead" on the inbox and the board: a walk-in, a call or an Instagram message, entered by hand. */
export function NewLeadButton({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const me = useSession();
  const phone = useMediaQuery('(max-width: 36em)');
  return (
    <>
      <Button size={size} onClick={open}>
        {t('newLead.open')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('newLead.title')} fullScreen={phone === true}>
        {opened && (
          <Suspense fallback={<Loading />}>
            <NewLeadForm me={me} onDone={close} />
          </Suspense>
        )}
      </Modal>
    </>
  );
}
