import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../lib/session';

// The dialog (Mantine's Modal and focus trap), the form and the phone numbering metadata it reads download when
// it first opens: the inbox is a first visit's page, within its 250 KB budget (bundle/first-visit.test.ts).
const NewLeadDialog = lazy(() => import('./new-lead-dialog').then((m) => ({ default: m.NewLeadDialog })));

/** "Nuevo lead" on the inbox and the board: a walk-in, a call or an Instagram message, entered by hand. */
export function NewLeadButton({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const me = useSession();
  return (
    <>
      <Button size={size} onClick={open}>
        {t('newLead.open')}
      </Button>
      {opened && (
        <Suspense fallback={null}>
          <NewLeadDialog me={me} onClose={close} />
        </Suspense>
      )}
    </>
  );
}
