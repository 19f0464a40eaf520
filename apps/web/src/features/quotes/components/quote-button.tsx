import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../../components/query-state';
import type { Line } from './quote-builder';

// The builder downloads when the dialog first opens, not with the lead view.
const QuoteBuilder = lazy(() => import('./quote-builder').then((m) => ({ default: m.QuoteBuilder })));

/** "Cotizar" on the lead view: the builder in a dialog, then the quote's page. */
export function QuoteButton({
  leadId,
  tenantId,
  initialListing,
}: {
  leadId: string;
  tenantId: string;
  initialListing?: Line['listing'] | null | undefined;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" onClick={open}>
        {t('quotes.quote')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('quotes.builderTitle')} size="lg">
        {opened && (
          <Suspense fallback={<Loading />}>
            <QuoteBuilder
              leadId={leadId}
              tenantId={tenantId}
              initialListing={initialListing}
              onDone={close}
            />
          </Suspense>
        )}
      </Modal>
    </>
  );
}
