import {
  Anchor,
  Box,
  Button,
  Card,
  Grid,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import {
  type LeadDetail,
  type LeadStatus,
  type LostReason,
  leadTransitions,
  manualChannels,
} from '@techmarket/contracts';
import { type FormEvent, useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AfterPaint } from '../../../components/after-paint';
import { PriorityBadge, StatusBadge } from '../../../components/lead-badges';
import { ErrorState, Loading } from '../../../components/query-state';
import { isOneOf } from '../../../lib/domain';
import { useDraft } from '../../../lib/draft';
import { formatDateTime, formatMoney, whatsappUrl } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { formatPhone } from '../../../lib/phone';
import { problemMessage } from '../../../lib/problem-message';
import { isAdmin, useSession } from '../../../lib/session';
import { branchesQueryOptions, byId, usersQueryOptions } from '../../../lib/tenant-data';
import { conversationQueryOptions } from '../../../lib/whatsapp';
import { ContactConsent } from '../../campaigns';
import { QuoteButton } from '../../quotes';
import { LeadTasks, useLeadOpenTasks } from '../../tasks';
import { ConvertTicketButton } from '../../tickets';
import { addNote, leadEventsQueryOptions, leadQueryOptions, leadsKey } from '../api/leads';
import { useUpdateLead } from '../hooks/use-update-lead';
import { useWroteBack } from '../hooks/use-wrote-back';
import { AssistantCard, readAssistance } from './assistant-card';
import { LeadConversation } from './lead-conversation';
import { LeadTimeline } from './lead-timeline';
import { LeadValue } from './lead-value';
import { LostReasonModal } from './lost-reason-modal';
import { WinLeadModal } from './win-lead-modal';
import { WroteBackPrompt } from './wrote-back-prompt';

/** The lead view: contact with WhatsApp, origin, actions, notes and the full history. */
export function LeadPage() {
  const { t } = useTranslation();
  const { leadId } = useParams({ from: '/app/leads/$leadId' });
  const lead = useQuery(leadQueryOptions(leadId));
  // The lead is rendered as a transition, in slices, not in one long task with the screen around it (the first
  // render shows the loader even when the answer is already here).
  const deferred = useDeferredValue(lead.data, undefined);
  const shown = deferred?.id === leadId ? deferred : undefined;
  return (
    <Box p="sm" maw={1100} mx="auto">
      <Anchor component={Link} to="/" size="sm">
        ← {t('lead.back')}
      </Anchor>
      {lead.isError ? (
        <ErrorState error={lead.error} onRetry={() => void lead.refetch()} />
      ) : !shown ? (
        <Loading />
      ) : (
        <LeadView lead={shown} />
      )}
    </Box>
  );
}

function LeadView({ lead }: { lead: LeadDetail }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const branches = useQuery(branchesQueryOptions(me.tenant.id));
  const users = useQuery(usersQueryOptions(me.tenant.id));
  const branch = byId(branches.data).get(lead.branchId);
  const timeZone = branch?.timezone ?? me.tenant.timezone;
  const update = useUpdateLead();
  const events = useQuery(leadEventsQueryOptions(lead.id));
  // With a channel the conversation is answered here; without one, by wa.me as before.
  const conversation = useQuery(conversationQueryOptions(lead.id));
  const viaChannel = conversation.data?.channel.connected === true;
  const wroteBack = useWroteBack(lead, viaChannel);
  // What the customer saw when they clicked: the click's snapshot of the listing, else today's listing.
  const clicked = events.data
    ?.map((e) => (e.type === 'WHATSAPP_CLICK' ? listingSnapshot(e.payload.listing) : null))
    .find((l) => l !== null);
  const shown = clicked ?? lead.listing;
  // Closing the lead (WON, LOST) asks first when there is something to ask: a reason, or its open tasks.
  const [closing, setClosing] = useState<'WON' | 'LOST' | null>(null);
  const openTasks = useLeadOpenTasks(lead.tenantId, lead.id);
  // How a lead entered by hand came in (walk-in, call, Instagram), from its CREATED event.
  const createdVia = events.data?.find((e) => e.type === 'CREATED')?.payload.channel;
  const channel = isOneOf(manualChannels, createdVia) ? createdVia : null;
  const name = lead.contact.name ?? (formatPhone(lead.contact.phone) || t('inbox.anonymous'));

  const move = (status: LeadStatus, lostReason?: LostReason, closeTasks = false) =>
    update.mutate(
      { lead, change: { status, version: lead.version, ...(lostReason ? { lostReason } : {}) } },
      { onSuccess: () => closeTasks && openTasks.cancelAll() },
    );
  const choose = (status: LeadStatus) => {
    if (status === 'LOST' || (status === 'WON' && openTasks.count > 0)) setClosing(status);
    else move(status);
  };

  const sellers = (users.data ?? []).filter(
    (u) => u.active && (u.role !== 'SELLER' || u.branchIds.includes(lead.branchId)),
  );
  const next = leadTransitions[lead.status];
  const greeting = lead.listing
    ? `Hola${lead.contact.name ? ` ${lead.contact.name}` : ''}, ${lead.listing.title}`
    : '';

  return (
    <Stack mt="xs">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h3">
            {name}
          </Title>
          <Group gap={6} mt={4}>
            <StatusBadge status={lead.status} />
            <PriorityBadge priority={lead.priority} />
            {lead.lostReason && (
              <Text size="xs" c="dimmed">
                {t(`lostReason.${lead.lostReason}`)}
              </Text>
            )}
          </Group>
        </div>
        <Group gap="xs">
          <ConvertTicketButton
            leadId={lead.id}
            priority={lead.priority}
            defaultSubject={lead.listing?.title}
          />
          {/* A closed or dormant lead must be reopened before it can be quoted. */}
          {(lead.status === 'QUOTED' || leadTransitions[lead.status].includes('QUOTED')) && (
            <QuoteButton
              leadId={lead.id}
              tenantId={lead.tenantId}
              userId={me.user.id}
              canSetPrices={isAdmin(me)}
              initialListing={lead.listing}
              alternatives={readAssistance(lead.assistance)?.alternatives}
            />
          )}
          {lead.contact.phone && !viaChannel && (
            <Button
              component="a"
              href={whatsappUrl(lead.contact.phone, greeting || undefined)}
              target="_blank"
              rel="noopener noreferrer"
              color="green"
              onClick={wroteBack.opened}
            >
              {t('lead.whatsapp')}
            </Button>
          )}
        </Group>
      </Group>

      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            <Card withBorder>
              <Title order={2} size="h5" mb="xs">
                {t('lead.contact')}
              </Title>
              <Field label={t('lead.phone')}>
                {lead.contact.phone ? (
                  <Anchor href={`tel:${lead.contact.phone}`}>{formatPhone(lead.contact.phone)}</Anchor>
                ) : (
                  t('lead.noPhone')
                )}
              </Field>
              <Field label={t('lead.branch')}>{branch?.name ?? '—'}</Field>
              <Anchor
                size="sm"
                renderRoot={(props) => (
                  <Link {...props} to="/customers/$customerId" params={{ customerId: lead.contact.id }} />
                )}
              >
                {t('customers.viewCustomer')}
              </Anchor>
              <Field label={t('consent.label')}>
                <ContactConsent
                  contactId={lead.contact.id}
                  timeZone={timeZone}
                  onChanged={() => void events.refetch()}
                />
              </Field>
              <Field label={t('lead.created')}>
                {formatDateTime(lead.createdAt, i18n.language, timeZone)}
              </Field>
              <Field label={t('lead.lastActivity')}>
                {formatDateTime(lead.lastActivityAt, i18n.language, timeZone)}
              </Field>
            </Card>

            <Card withBorder>
              <Title order={2} size="h5" mb="xs">
                {t('lead.origin')}
              </Title>
              <Field label={t('lead.value')}>
                <LeadValue lead={lead} defaultCurrency={shown?.currency ?? me.tenant.defaultCurrency} />
              </Field>
              <Field label={t('lead.source')}>{t(`source.${lead.source}`)}</Field>
              {channel && <Field label={t('newLead.via')}>{t(`newLead.channels.${channel}`)}</Field>}
              {shown && (
                <>
                  <Field label={t('lead.listing')}>{shown.title}</Field>
                  <Field label={clicked ? t('lead.priceAtClick') : t('lead.price')}>
                    {formatMoney(shown.price, shown.currency, i18n.language)}
                    {clicked && lead.listing && lead.listing.price !== clicked.price && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (
                        {t('lead.now', {
                          price: formatMoney(lead.listing.price, lead.listing.currency, i18n.language),
                        })}
                        )
                      </Text>
                    )}
                  </Field>
                  <Field label={clicked ? t('lead.stockAtClick') : t('lead.stock')}>
                    {t('lead.stockUnits', { count: shown.stock })}
                  </Field>
                </>
              )}
              {lead.campaign && <Field label={t('lead.campaign')}>{lead.campaign.name}</Field>}
            </Card>

            {/* Below the fold on a phone (and below the first cards on a desktop): after the first paint. */}
            <AfterPaint>
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  {t('lead.changeStage')}
                </Title>
                {next.length === 0 ? (
                  <Text size="sm">{t('lead.closed')}</Text>
                ) : (
                  <SimpleGrid cols={2} spacing="xs">
                    {next.map((status) => (
                      <Button
                        key={status}
                        variant={status === 'LOST' ? 'outline' : 'light'}
                        color={status === 'LOST' ? 'red' : undefined}
                        loading={update.isPending && update.variables?.change.status === status}
                        disabled={update.isPending}
                        onClick={() => choose(status)}
                        aria-label={t('lead.moveTo', { status: t(`status.${status}`) })}
                      >
                        {t(`status.${status}`)}
                      </Button>
                    ))}
                  </SimpleGrid>
                )}
                <Select
                  mt="sm"
                  label={t('lead.assignee')}
                  placeholder={t('lead.unassigned')}
                  clearable
                  searchable
                  disabled={update.isPending}
                  value={lead.assignedToUserId}
                  data={sellers.map((u) => ({ value: u.id, label: `${u.name} · ${t(`role.${u.role}`)}` }))}
                  onChange={(value) =>
                    value !== lead.assignedToUserId &&
                    update.mutate({ lead, change: { assignedToUserId: value, version: lead.version } })
                  }
                />
              </Card>

              <AssistantCard
                lead={lead}
                viaChannel={viaChannel}
                showDetails={isAdmin(me)}
                onWhatsappOpened={wroteBack.opened}
              />
            </AfterPaint>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <AfterPaint>
              <LeadConversation lead={lead} timeZone={timeZone} />
              <LeadTasks tenantId={lead.tenantId} leadId={lead.id} timeZone={timeZone} />
              <NoteForm leadId={lead.id} userId={me.user.id} />
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  {t('lead.timeline')}
                </Title>
                <LeadTimeline leadId={lead.id} timeZone={timeZone} users={users.data ?? []} />
              </Card>
            </AfterPaint>
          </Stack>
        </Grid.Col>
      </Grid>

      <AfterPaint>
        <WroteBackPrompt lead={lead} asking={wroteBack.asking} done={wroteBack.done} />
        <LostReasonModal
          opened={closing === 'LOST'}
          openTasks={openTasks.count}
          onCancel={() => setClosing(null)}
          onConfirm={(reason, closeTasks) => {
            setClosing(null);
            move('LOST', reason, closeTasks);
          }}
        />
        <WinLeadModal
          opened={closing === 'WON'}
          title={t('closeLead.wonTitle')}
          confirmLabel={t('closeLead.confirmWon')}
          openTasks={openTasks.count}
          onCancel={() => setClosing(null)}
          onConfirm={(closeTasks) => {
            setClosing(null);
            move('WON', undefined, closeTasks);
          }}
        />
      </AfterPaint>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" py={4} wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      {/* The value takes the rest of the line: its left edge stays put when what it shows arrives later. */}
      <Text size="sm" ta="right" component="div" style={{ flex: 1, minWidth: 0 }}>
        {children}
      </Text>
    </Group>
  );
}

function NoteForm({ leadId, userId }: { leadId: string; userId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // A half-typed note survives a reload; it goes once the API has it.
  const [text, setText, clearText] = useDraft(userId, `note:${leadId}`, '');
  const mutation = useApiMutation({
    mutationFn: (body: string) => addNote(leadId, body),
    onSuccess: (note) => {
      clearText();
      queryClient.setQueryData(['lead-notes', leadId], (old: { id: string }[] | undefined) => [
        note,
        ...(old ?? []),
      ]);
      notifications.show({ color: 'teal', message: t('lead.noteAdded') });
      void queryClient.invalidateQueries({ queryKey: leadsKey });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) mutation.mutate(text.trim());
  };
  return (
    <Card withBorder component="form" onSubmit={submit} noValidate>
      <Title order={2} size="h5" mb="xs">
        {t('lead.notes')}
      </Title>
      <Textarea
        aria-label={t('lead.notes')}
        placeholder={t('lead.notePlaceholder')}
        autosize
        minRows={2}
        maxLength={5000}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {t('lead.notesHint')}
        </Text>
        <Button type="submit" size="xs" loading={mutation.isPending} disabled={!text.trim()}>
          {t('lead.addNote')}
        </Button>
      </Group>
    </Card>
  );
}

type ListingSnapshot = { title: string; price: number; currency: string; stock: number };
function listingSnapshot(value: unknown): ListingSnapshot | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<ListingSnapshot>;
  return typeof v.title === 'string' &&
    typeof v.price === 'number' &&
    typeof v.currency === 'string' &&
    typeof v.stock === 'number'
    ? { title: v.title, price: v.price, currency: v.currency, stock: v.stock }
    : null;
}
