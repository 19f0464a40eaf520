import { Anchor, Box, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type QuoteStatus, quoteStatuses } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportMenu } from '../../../components/export-menu';
import { ListPage } from '../../../components/list-page';
import { formatDateTime, formatMoney } from '../../../lib/format';
import { useSession } from '../../../lib/session';
import { quotesQueryOptions } from '../api/quotes';
import { QuoteStatusBadge, quoteNumber } from './quote-status-badge';

/** The shop's quotes, newest first, filterable by status. */
export function QuotesPage() {
  const me = useSession();
  return <QuotesView tenantId={me.tenant.id} timeZone={me.tenant.timezone} />;
}

export function QuotesView({ tenantId, timeZone }: { tenantId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<QuoteStatus | ''>('');
  const query = useInfiniteQuery(quotesQueryOptions(tenantId, { status: status || undefined }));

  return (
    <ListPage
      title={t('quotes.title')}
      actionsAlign="flex-end"
      actions={
        <Group gap="xs" align="flex-end">
          <NativeSelect
            label={t('quotes.status')}
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as QuoteStatus | '')}
            data={[
              { value: '', label: t('quotes.allStatuses') },
              ...quoteStatuses.map((s) => ({ value: s, label: t(`quotes.statusName.${s}`) })),
            ]}
          />
          <ExportMenu tenantId={tenantId} kind="quotes" filters={{ status }} />
        </Group>
      }
      query={query}
      empty={{ title: t('quotes.empty') }}
      renderItem={(quote) => (
        <Paper withBorder p="sm" radius="md" data-testid="quote-row">
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Box miw={0}>
              <Anchor
                fw={600}
                renderRoot={(props) => (
                  <Link {...props} to="/quotes/$quoteId" params={{ quoteId: quote.id }} />
                )}
              >
                {t('quotes.number', { number: quoteNumber(quote.number) })}
              </Anchor>
              <Text size="sm" c="dimmed" truncate>
                {quote.contact.name ?? quote.contact.phone ?? ''}
              </Text>
            </Box>
            <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
              <Text fw={700}>{formatMoney(quote.total, quote.currency, i18n.language)}</Text>
              <QuoteStatusBadge status={quote.status} />
            </Stack>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            {formatDateTime(quote.createdAt, i18n.language, timeZone)}
          </Text>
        </Paper>
      )}
    />
  );
}
