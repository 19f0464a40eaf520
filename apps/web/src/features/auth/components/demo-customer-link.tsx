import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { DemoInfo } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { apiRequest } from '../../../lib/api-client';

/** `GET /demo`: where this server's customer phone page is, when its WhatsApp simulator is on (the demo). */
export const demoQueryOptions = {
  queryKey: ['demo'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => apiRequest<DemoInfo>('/demo', { signal }),
  staleTime: Number.POSITIVE_INFINITY,
  retry: false,
};

/** The demo's discreet way in as a customer: "Probar como cliente" opens the simulated phone. Nothing elsewhere. */
export function DemoCustomerLink() {
  const { t } = useTranslation();
  const demo = useQuery(demoQueryOptions);
  const url = demo.data?.customerPhoneUrl;
  if (!url) return null;
  return (
    <Text size="sm" ta="center" c="dimmed">
      <Anchor href={url} target="_blank" rel="noopener" title={t('demo.tryAsCustomerHint')}>
        {t('demo.tryAsCustomer')}
      </Anchor>
    </Text>
  );
}
