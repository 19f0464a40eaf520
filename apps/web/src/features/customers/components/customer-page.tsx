import { Alert, Anchor, Badge, Button, Card, Grid, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { CustomerDetail, TicketStatus } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { DetailPage } from '../../../components/detail-page';
import { StatusBadge } from '../../../components/lead-badges';
import { formatDateTime } from '../../../lib/format';
import { formatPhone } from '../../../lib/phone';
import { useSession } from '../../../lib/session';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { customerQueryOptions, customerTimelineQueryOptions } from '../api/customers';
import { CustomerDuplicates } from './customer-duplicates';
import { CustomerEditForm } from './customer-edit-form';
import { CustomerTicketForm } from './customer-ticket-form';
import { CustomerTimeline } from './customer-timeline';

/** A customer's page: who they are (editable), their leads and tickets at every branch, their history, duplicates. */
export function CustomerPage() {
  const me = useSession();
  const { customerId } = useParams({ from: '/app/customers/$customerId' });
  const branchIds = me.user.role === 'SELLER' ? me.user.branchIds : null;
  return (
    <CustomerView
      tenantId={me.tenant.id}
      customerId={customerId}
      timeZone={me.tenant.timezone}
      ticketBranchIds={branchIds}
    />
  );
}

export function CustomerView({
  tenantId,
  customerId,
  timeZone,
  ticketBranchIds,
}: {
  tenantId: string;
  customerId: string;
  timeZone: string;
  /** The branches the person may open a ticket at; null: every branch. */
  ticketBranchIds: readonly string[] | null;
}) {
  const { t } = useTranslation();
  const query = useQuery(customerQueryOptions(tenantId, customerId));
  return (
    <DetailPage back={{ to: '/customers', label: t('customers.title') }} query={query} maw={1100}>
      {(customer) => (
        <CustomerBody
          tenantId={tenantId}
          customer={customer}
          timeZone={timeZone}
          ticketBranchIds={ticketBranchIds}
        />
      )}
    </DetailPage>
  );
}

function CustomerBody({
  tenantId,
  customer,
  timeZone,
  ticketBranchIds,
}: {
  tenantId: string;
  customer: CustomerDetail;
  timeZone: string;
  ticketBranchIds: readonly string[] | null;
}) {
  const { t, i18n } = useTranslation();
  const [editing, edit] = useDisclosure(false);
  const [ticketOpen, ticket] = useDisclosure(false);
  const branches = useQuery(branchesQueryOptions(tenantId));
  const timeline = useInfiniteQuery(customerTimelineQueryOptions(tenantId, customer.id));
  const branchName = (id: string | null) => branches.data?.find((b) => b.id === id)?.name ?? '';
  const ticketBranches = (branches.data ?? []).filter(
    (b) => b.active && (ticketBranchIds === null || ticketBranchIds.includes(b.id)),
  );
  const erased = customer.erasedAt !== null;
  const title = erased
    ? t('customers.erasedName')
    : (customer.name ?? (formatPhone(customer.phone) || t('customers.noName')));

  return (
    <Stack gap="sm" mt="xs">
      <Card withBorder>
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={1} size="h3">
              {title}
            </Title>
            <Text c="dimmed">
              {[formatPhone(customer.phone), customer.email].filter(Boolean).join(' · ')}
            </Text>
            {customer.tags.length > 0 && (
              <Group gap={4} mt={4}>
                {customer.tags.map((tag) => (
                  <Badge key={tag} size="sm" variant="light">
                    {tag}
                  </Badge>
                ))}
              </Group>
            )}
            {customer.notes && (
              <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {customer.notes}
              </Text>
            )}
          </div>
          {/* Nothing personal is left to edit, nor anyone to open a ticket or merge for. */}
          {!erased && (
            <Group gap="xs">
              <Button variant="default" onClick={edit.toggle}>
                {t('customers.edit')}
              </Button>
              <Button variant="default" onClick={ticket.open} disabled={ticketBranches.length === 0}>
                {t('customers.openTicket')}
              </Button>
            </Group>
          )}
        </Group>
        {customer.erasedAt !== null && (
          <Alert color="gray" mt="sm" title={t('customers.erased')} data-testid="customer-erased">
            {t('customers.erasedDetail', {
              at: formatDateTime(customer.erasedAt, i18n.language, timeZone),
            })}
          </Alert>
        )}
        {editing && (
          <Card withBorder mt="sm">
            <Title order={2} size="h5" mb="xs">
              {t('customers.editTitle')}
            </Title>
            <CustomerEditForm
              customer={customer}
              country={branches.data?.[0]?.countryCode ?? null}
              onDone={edit.close}
            />
          </Card>
        )}
      </Card>
      <Modal opened={ticketOpen} onClose={ticket.close} title={t('customers.openTicketTitle')}>
        {ticketOpen && <CustomerTicketForm customerId={customer.id} branches={ticketBranches} />}
      </Modal>

      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            <Card withBorder>
              <Title order={2} size="h5" mb="xs">
                {t('customers.leads')}
              </Title>
              {customer.leads.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('customers.noLeads')}
                </Text>
              ) : (
                <Stack gap={6}>
                  {customer.leads.map((lead) => (
                    <Group key={lead.id} justify="space-between" wrap="nowrap">
                      <Anchor
                        size="sm"
                        renderRoot={(props) => (
                          <Link {...props} to="/leads/$leadId" params={{ leadId: lead.id }} />
                        )}
                      >
                        {[t(`source.${lead.source}`), branchName(lead.branchId), lead.refCode]
                          .filter(Boolean)
                          .join(' · ')}
                      </Anchor>
                      <StatusBadge status={lead.status} />
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
            <Card withBorder>
              <Title order={2} size="h5" mb="xs">
                {t('customers.tickets')}
              </Title>
              {customer.tickets.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('customers.noTickets')}
                </Text>
              ) : (
                <Stack gap={6}>
                  {customer.tickets.map((item) => (
                    <Group key={item.id} justify="space-between" wrap="nowrap">
                      <Anchor
                        size="sm"
                        renderRoot={(props) => (
                          <Link {...props} to="/tickets/$ticketId" params={{ ticketId: item.id }} />
                        )}
                      >
                        {item.subject}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {t(`tickets.statusName.${item.status as TicketStatus}`)} ·{' '}
                        {formatDateTime(item.createdAt, i18n.language, timeZone)}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
            {!erased && <CustomerDuplicates tenantId={tenantId} customer={customer} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <CustomerTimeline query={timeline} timeZone={timeZone} branchName={branchName} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
