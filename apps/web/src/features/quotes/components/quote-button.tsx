import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { AssistanceAlternative } from '@techmarket/contracts';
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
  alternatives,
}: {
  leadId: string;
  tenantId: string;
  initialListing?: Line['listing'] | null | undefined;
  /** The assistant's alternatives for the lead, offered in the builder one tap away. */
  alternatives?: AssistanceAlternative[] | undefined;
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
              alternatives={alternatives}
              onDone={close}
            />
          </Suspense>
        )}
      </Modal>
    </>
  );
}
