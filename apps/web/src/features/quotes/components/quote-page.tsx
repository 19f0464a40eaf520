import { Alert, Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { LostReason, Quote } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DetailPage } from '../../../components/detail-page';
import { formatDateTime, formatMoney } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { isAdmin, useSession } from '../../../lib/session';
import { useBranchTimeZone } from '../../../lib/tenant-data';
import { LostReasonModal, WinLeadModal } from '../../leads';
import { useLeadOpenTasks } from '../../tasks';
import {
  decideQuote,
  quotePdfUrl,
  quoteQueryOptions,
  quotesKey,
  revokeQuoteLink,
  sendQuote,
} from '../api/quotes';
import { EditQuoteButton } from './quote-button';
import { QuotePdfPreview } from './quote-pdf-preview';
import { QuoteStatusBadge, quoteNumber } from './quote-status-badge';

export function QuotePage() {
  const { quoteId } = useParams({ from: '/app/quotes/$quoteId' });
  const me = useSession();
  return <QuoteView quoteId={quoteId} timeZone={me.tenant.timezone} canSetPrices={isAdmin(me)} />;
}

/** A quote as the server priced it: lines, totals, PDF, "Enviar" by WhatsApp, and "Editar" while a DRAFT. */
export function QuoteView({
  quoteId,
  timeZone: shopTimeZone,
  canSetPrices = false,
}: {
  quoteId: string;
  /** The shop's; the quote's branch's once known (its validity ends at midnight there). */
  timeZone: string;
  /** OWNER and MANAGER: a line's price and discount in the builder. */
  canSetPrices?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(quoteQueryOptions(quoteId));
  const timeZone = useBranchTimeZone(query.data?.tenantId, query.data?.branchId, shopTimeZone);
  const send = useApiMutation({
    mutationFn: () => sendQuote(quoteId),
    onSuccess: (sent) => {
      queryClient.setQueryData(quoteQueryOptions(quoteId).queryKey, sent.quote);
      void queryClient.invalidateQueries({ queryKey: quotesKey });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('quotes.sent') });
      window.open(sent.whatsappUrl, '_blank', 'noopener,noreferrer');
    },
  });
  const revokeLink = useApiMutation({
    mutationFn: () => revokeQuoteLink(quoteId),
    onSuccess: (revoked) => {
      queryClient.setQueryData(quoteQueryOptions(quoteId).queryKey, revoked);
      send.reset();
    },
  });
  // The customer's answer is asked for once more before it is recorded: it closes the lead.
  const [answer, setAnswer] = useState<'ACCEPTED' | 'REJECTED' | null>(null);
  const [preview, setPreview] = useState(false);
  const [editConflict, setEditConflict] = useState(false);
  // Only a SENT quote is answered, and only then does the offer to close the lead's tasks need them.
  const openTasks = useLeadOpenTasks(query.data?.tenantId ?? '', query.data?.leadId ?? '', {
    enabled: query.data?.status === 'SENT',
  });
  const decide = useApiMutation({
    mutationFn: ({ quote, lostReason }: { quote: Quote; lostReason?: LostReason }) =>
      decideQuote(quote, lostReason ? { status: 'REJECTED', lostReason } : { status: 'ACCEPTED' }),
    onSuccess: (decided) => {
      queryClient.setQueryData(quoteQueryOptions(quoteId).queryKey, decided);
      void queryClient.invalidateQueries({ queryKey: quotesKey });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({
        color: decided.status === 'ACCEPTED' ? 'green' : 'gray',
        message: t(decided.status === 'ACCEPTED' ? 'quotes.acceptedToast' : 'quotes.rejectedToast'),
      });
    },
    onError: (error) => notifications.show({ color: 'red', message: problemMessage(error, t) }),
  });

  return (
    <DetailPage
      back={{ to: '/quotes', label: t('quotes.back') }}
      query={query}
      maw={900}
      also={(quote) => (
        <Anchor
          size="sm"
          renderRoot={(props) => <Link {...props} to="/leads/$leadId" params={{ leadId: quote.leadId }} />}
        >
          ← {t('quotes.backToLead')}
        </Anchor>
      )}
    >
      {(quote) => {
        const money = (minor: number) => formatMoney(minor, quote.currency, i18n.language);
        const canSend = quote.status === 'DRAFT' || quote.status === 'SENT';
        // A link is out there once the quote was sent, until it is revoked (a later send issues a new one).
        const linkRevoked =
          quote.sentAt !== null && quote.linksRevokedAt !== null && quote.linksRevokedAt >= quote.sentAt;
        const linkLive = quote.sentAt !== null && !linkRevoked;
        return (
          <>
            <Stack gap="sm" mt="xs">
              <Group justify="space-between" align="flex-start" gap="xs">
                <div>
                  <Title order={1} size="h3">
                    {t('quotes.number', { number: quoteNumber(quote.number) })}
                  </Title>
                  <Group gap={6} mt={4}>
                    <QuoteStatusBadge status={quote.status} />
                    <Text size="sm" c="dimmed">
                      {quote.contact.name ?? quote.contact.phone ?? ''}
                    </Text>
                  </Group>
                </div>
                <Group gap="xs">
                  {quote.status === 'DRAFT' && (
                    <EditQuoteButton
                      quote={quote}
                      canSetPrices={canSetPrices}
                      onOpen={() => setEditConflict(false)}
                      onConflict={() => setEditConflict(true)}
                    />
                  )}
                  <Button
                    component="a"
                    href={quotePdfUrl(quote.id)}
                    target="_blank"
                    rel="noopener"
                    variant="default"
                  >
                    {t('quotes.pdf')}
                  </Button>
                  <Button
                    variant="default"
                    aria-expanded={preview}
                    onClick={() => setPreview((open) => !open)}
                  >
                    {preview ? t('quotes.hidePreview') : t('quotes.preview')}
                  </Button>
                  {canSend && (
                    <Button color="green" loading={send.isPending} onClick={() => send.mutate()}>
                      {t('quotes.send')}
                    </Button>
                  )}
                  {linkLive && (
                    <Button
                      variant="outline"
                      color="red"
                      title={t('account.revokeLinkConfirm')}
                      loading={revokeLink.isPending}
                      onClick={() => revokeLink.mutate()}
                    >
                      {t('account.revokeLink')}
                    </Button>
                  )}
                </Group>
              </Group>
              {preview && <QuotePdfPreview url={quotePdfUrl(quote.id)} revision={String(quote.version)} />}
              {/*
                A quote the customer has is decided here: they said yes or no (by WhatsApp, at the counter). Not a
                DRAFT: the customer has not seen it, and one stray tap would win the lead.
              */}
              {quote.status === 'DRAFT' && (
                <Text size="sm" c="dimmed">
                  {t('quoteAnswer.draftHint')}
                </Text>
              )}
              {quote.status === 'SENT' && (
                <Group gap="xs" role="group" aria-label={t('quotes.customerAnswer')}>
                  <Text size="sm" c="dimmed" w={{ base: '100%', xs: 'auto' }}>
                    {t('quotes.customerAnswer')}
                  </Text>
                  <Button
                    size="sm"
                    variant="light"
                    color="green"
                    loading={decide.isPending && !decide.variables?.lostReason}
                    disabled={decide.isPending}
                    onClick={() => setAnswer('ACCEPTED')}
                  >
                    {t('quotes.accept')}
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    color="red"
                    loading={decide.isPending && !!decide.variables?.lostReason}
                    disabled={decide.isPending}
                    onClick={() => setAnswer('REJECTED')}
                  >
                    {t('quotes.reject')}
                  </Button>
                </Group>
              )}
              {quote.rejectionReason && (
                <Text size="sm" c="dimmed">
                  {t('quotes.rejectedBecause', { reason: t(`lostReason.${quote.rejectionReason}`) })}
                </Text>
              )}
              {linkRevoked && quote.linksRevokedAt && (
                <Text size="sm" c="dimmed">
                  {t('account.linkRevoked', {
                    at: formatDateTime(quote.linksRevokedAt, i18n.language, timeZone),
                  })}
                </Text>
              )}
              {revokeLink.isError && (
                <Alert color="red" role="alert">
                  {problemMessage(revokeLink.error, t)}
                </Alert>
              )}
              {editConflict && (
                <Alert color="orange" role="alert" withCloseButton onClose={() => setEditConflict(false)}>
                  {t('quotes.editConflict')}
                </Alert>
              )}
              {send.isError && (
                <Alert color="red" role="alert">
                  {problemMessage(send.error, t)}
                </Alert>
              )}
              {send.data && (
                <Alert color="green">
                  <Anchor href={send.data.whatsappUrl} target="_blank" rel="noopener noreferrer">
                    {t('quotes.openWhatsapp')}
                  </Anchor>
                </Alert>
              )}
              {quote.warnings.length > 0 && (
                <Alert color="orange">
                  {quote.warnings.map((w) => (
                    <Text key={`${w.path}-${w.code}`} size="sm">
                      {w.code === 'EXCEEDS_STOCK' ? t('quotes.exceedsStock') : w.message}: {w.message}
                    </Text>
                  ))}
                </Alert>
              )}
              <Card withBorder p={0}>
                <Table.ScrollContainer minWidth={320}>
                  <Table verticalSpacing="xs" fz="sm">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('quotes.item')}</Table.Th>
                        <Table.Th ta="right">{t('quotes.qty')}</Table.Th>
                        <Table.Th ta="right" visibleFrom="xs">
                          {t('quotes.unitPrice')}
                        </Table.Th>
                        <Table.Th ta="right">{t('quotes.lineTotal')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {quote.items.map((item) => (
                        <Table.Tr key={item.id}>
                          <Table.Td style={{ overflowWrap: 'anywhere' }}>{item.title}</Table.Td>
                          <Table.Td ta="right">{item.quantity}</Table.Td>
                          <Table.Td ta="right" visibleFrom="xs">
                            {money(item.unitPrice)}
                          </Table.Td>
                          <Table.Td ta="right">{money(item.total)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <Card withBorder>
                <Stack gap={4}>
                  {/* As on the PDF: the discounts are already off the lines, so they come before the subtotal. */}
                  {quote.discount > 0 && (
                    <Group justify="space-between">
                      <Text size="sm">{t('quotes.discounts')}</Text>
                      <Text size="sm">−{money(quote.discount)}</Text>
                    </Group>
                  )}
                  <Group justify="space-between">
                    <Text size="sm">{t('quotes.subtotal')}</Text>
                    <Text size="sm">{money(quote.subtotal)}</Text>
                  </Group>
                  <Group justify="space-between">
                    <Text size="sm">{t('quotes.tax', { name: quote.taxName })}</Text>
                    <Text size="sm">{money(quote.tax)}</Text>
                  </Group>
                  <Group justify="space-between">
                    <Text fw={700}>{t('quotes.total')}</Text>
                    <Text fw={700} data-testid="quote-total">
                      {money(quote.total)}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t('quotes.validUntil', {
                      date: formatDateTime(quote.validUntil, i18n.language, timeZone),
                    })}
                  </Text>
                  <Anchor
                    size="sm"
                    renderRoot={(props) => (
                      <Link {...props} to="/leads/$leadId" params={{ leadId: quote.leadId }} />
                    )}
                  >
                    {t('quotes.lead')} →
                  </Anchor>
                </Stack>
              </Card>
              {quote.notes && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {quote.notes}
                </Text>
              )}
            </Stack>
            <WinLeadModal
              opened={answer === 'ACCEPTED'}
              title={t('quoteAnswer.acceptTitle', {
                number: t('quotes.number', { number: quoteNumber(quote.number) }),
              })}
              body={t('quoteAnswer.acceptBody')}
              confirmLabel={t('quoteAnswer.confirmAccept')}
              openTasks={openTasks.count}
              onCancel={() => setAnswer(null)}
              onConfirm={(closeTasks) => {
                setAnswer(null);
                decide.mutate({ quote }, { onSuccess: () => closeTasks && openTasks.cancelAll() });
              }}
            />
            <LostReasonModal
              opened={answer === 'REJECTED'}
              title={t('quoteAnswer.rejectTitle', {
                number: t('quotes.number', { number: quoteNumber(quote.number) }),
              })}
              onCancel={() => setAnswer(null)}
              onConfirm={(lostReason) => {
                setAnswer(null);
                decide.mutate({ quote, lostReason });
              }}
            />
          </>
        );
      }}
    </DetailPage>
  );
}
