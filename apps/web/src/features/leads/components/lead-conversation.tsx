import { Alert, Anchor, Badge, Box, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Conversation, LeadDetail, WhatsappMessage } from '@techmarket/contracts';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { formatDateTime } from '../../../lib/format';
import { conversationQueryOptions } from '../../../lib/whatsapp';
import { markConversationRead } from '../api/leads';
import { MessageComposer } from './message-composer';

/**
 * The lead's WhatsApp conversation, when its branch has a channel (or had one): the customer's messages on the
 * left, the shop's on the right with their ticks, media inline, the 24-hour window with its end in the branch's
 * time zone, and the composer. Kept current by the live stream (lib/live-updates.ts).
 */
export function LeadConversation({ lead, timeZone }: { lead: LeadDetail; timeZone: string }) {
  const { t } = useTranslation();
  const conversation = useQuery(conversationQueryOptions(lead.id));
  const bottom = useRef<HTMLDivElement>(null);
  const count = conversation.data?.items.length ?? 0;
  useEffect(() => {
    if (count > 0) bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [count]);
  // Shown is read: each time a customer's message is on screen, the inbox's unread badge goes (the API announces
  // the lead only when something was unread, so this does not echo back).
  const lastInbound = conversation.data?.items.findLast((m) => m.direction === 'IN')?.id;
  useEffect(() => {
    if (lastInbound) void markConversationRead(lead.id).catch(() => undefined);
  }, [lead.id, lastInbound]);

  if (conversation.isPending) return <Loading />;
  if (conversation.isError)
    return <ErrorState error={conversation.error} onRetry={() => void conversation.refetch()} />;
  const { items, window, channel } = conversation.data;
  if (!channel.connected && items.length === 0) {
    return (
      <Alert color="gray" title={t('chat.title')} data-testid="no-channel">
        {t('chat.noChannel')}
      </Alert>
    );
  }
  return (
    <Card withBorder p="sm">
      <Group justify="space-between" mb="xs" wrap="wrap" gap={6}>
        <Title order={2} size="h5">
          {t('chat.title')}
        </Title>
        <WindowBadge window={window} timeZone={timeZone} />
      </Group>
      {!channel.connected && (
        <Alert color="gray" mb="xs" p="xs">
          {t('chat.disconnected')}
        </Alert>
      )}
      <Box
        role="log"
        aria-label={t('chat.title')}
        mah={480}
        style={{ overflowY: 'auto' }}
        bg="var(--mantine-color-default-hover)"
        p="xs"
      >
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            {t('chat.empty')}
          </Text>
        ) : (
          <Stack gap={6}>
            {items.map((message) => (
              <Bubble key={message.id} message={message} timeZone={timeZone} />
            ))}
          </Stack>
        )}
        <div ref={bottom} />
      </Box>
      {channel.connected && <MessageComposer lead={lead} window={window} />}
    </Card>
  );
}

function WindowBadge({ window, timeZone }: { window: Conversation['window']; timeZone: string }) {
  const { t, i18n } = useTranslation();
  if (!window.endsAt)
    return (
      <Badge color="gray" variant="light" size="sm">
        {t('chat.windowNever')}
      </Badge>
    );
  const until = formatDateTime(window.endsAt, i18n.language, timeZone);
  return (
    <Badge
      color={window.open ? 'green' : 'orange'}
      variant="light"
      size="sm"
      data-testid="window"
      style={{ textTransform: 'none' }}
    >
      {window.open ? t('chat.windowOpen', { until }) : t('chat.windowClosed', { at: until })}
    </Badge>
  );
}

const timeOf = (iso: string, locale: string, timeZone: string) =>
  new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));

function Bubble({ message, timeZone }: { message: WhatsappMessage; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const out = message.direction === 'OUT';
  return (
    <Group justify={out ? 'flex-end' : 'flex-start'} wrap="nowrap">
      <Paper
        p="xs"
        radius="md"
        shadow="xs"
        maw="85%"
        bg={out ? 'var(--mantine-color-green-light)' : 'var(--mantine-color-body)'}
        data-testid={out ? 'bubble-out' : 'bubble-in'}
        aria-label={out ? t('chat.fromShop') : t('chat.fromCustomer')}
      >
        <MessageBody message={message} />
        <Group gap={4} justify="flex-end" mt={2} wrap="nowrap">
          <Text size="xs" c="dimmed">
            {timeOf(message.createdAt, i18n.language, timeZone)}
          </Text>
          {out && <Ticks message={message} />}
        </Group>
        {message.status === 'FAILED' && (
          <Text size="xs" c="red" mt={2} data-testid="failed-reason">
            {t('chat.failed', {
              reason: message.error?.title ?? t('chat.unknownReason'),
            })}
            {message.error?.code != null && ` (${message.error.code})`}
          </Text>
        )}
      </Paper>
    </Group>
  );
}

/** QUEUED a clock, SENT one tick, DELIVERED two, READ two in blue, FAILED a warning. */
function Ticks({ message }: { message: WhatsappMessage }) {
  const { t } = useTranslation();
  const label = t(`chat.status.${message.status}`);
  const marks: Record<WhatsappMessage['status'], { text: string; color: string }> = {
    RECEIVED: { text: '', color: 'dimmed' },
    QUEUED: { text: '🕓', color: 'dimmed' },
    SENT: { text: '✓', color: 'dimmed' },
    DELIVERED: { text: '✓✓', color: 'dimmed' },
    READ: { text: '✓✓', color: 'blue.6' },
    FAILED: { text: '⚠', color: 'red' },
  };
  const mark = marks[message.status];
  return (
    <Text size="xs" c={mark.color} fw={700} aria-label={label} title={label} data-status={message.status}>
      {mark.text}
    </Text>
  );
}

const mediaUrl = (message: WhatsappMessage) => `/api/v1/leads/${message.leadId}/messages/${message.id}/media`;
/** Summaries the API writes for messages without words ("[Photo]", "[Video]"): not shown as a caption. */
const isSummary = (text: string | null) => text === null || /^\[[^\]]*\]$/.test(text);

function MessageBody({ message }: { message: WhatsappMessage }) {
  const { t } = useTranslation();
  const caption = isSummary(message.text) ? null : message.text;
  const media = message.media;
  const stored = media?.status === 'STORED';
  const mediaNote = media && !stored && (
    <Text size="xs" c="dimmed" fs="italic">
      {media.status === 'TOO_LARGE'
        ? t('chat.mediaTooLarge', {
            size: media.byteSize ? `${Math.ceil(media.byteSize / 1_048_576)} MB` : '',
          })
        : media.status === 'PENDING'
          ? t('chat.mediaPending')
          : t('chat.mediaFailed')}
    </Text>
  );
  const text = (value: string | null) =>
    value && (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    );

  switch (message.type) {
    case 'image':
    case 'sticker':
      return (
        <Stack gap={4}>
          {stored ? (
            <img
              src={mediaUrl(message)}
              alt={caption ?? t('chat.photo')}
              loading="lazy"
              style={{ maxWidth: '100%', maxHeight: 280, borderRadius: 6, display: 'block' }}
            />
          ) : (
            <Text size="sm">📷 {t('chat.photo')}</Text>
          )}
          {mediaNote}
          {text(caption)}
        </Stack>
      );
    case 'audio':
      return (
        <Stack gap={4}>
          {stored ? (
            // biome-ignore lint/a11y/useMediaCaption: a customer's voice note has no captions to offer.
            <audio controls preload="none" src={mediaUrl(message)} aria-label={t('chat.audio')} />
          ) : (
            <Text size="sm">🎤 {t('chat.audio')}</Text>
          )}
          {mediaNote}
        </Stack>
      );
    case 'video':
      return (
        <Stack gap={4}>
          {stored ? (
            // biome-ignore lint/a11y/useMediaCaption: a customer's video has no captions to offer.
            <video
              controls
              preload="metadata"
              src={mediaUrl(message)}
              aria-label={t('chat.video')}
              style={{ maxWidth: '100%', maxHeight: 280 }}
            />
          ) : (
            <Text size="sm">🎬 {t('chat.video')}</Text>
          )}
          {mediaNote}
          {text(caption)}
        </Stack>
      );
    case 'document': {
      const name = /^\[Document: (.+)\]$/.exec(message.text ?? '')?.[1] ?? caption ?? t('chat.document');
      return (
        <Stack gap={4}>
          {stored ? (
            <Anchor href={mediaUrl(message)} download={name} size="sm">
              📄 {name}
            </Anchor>
          ) : (
            <Text size="sm">📄 {name}</Text>
          )}
          {mediaNote}
        </Stack>
      );
    }
    case 'location': {
      // "[Location: Tienda Miraflores (-12.12, -77.03)]"
      const place = /^\[Location(?:: (.*?))? \((-?[\d.]+), (-?[\d.]+)\)\]$/.exec(message.text ?? '');
      return (
        <Stack gap={2}>
          <Text size="sm">📍 {place?.[1] || t('chat.location')}</Text>
          {place && (
            <Anchor
              size="xs"
              href={`https://www.openstreetmap.org/?mlat=${place[2]}&mlon=${place[3]}#map=17/${place[2]}/${place[3]}`}
              target="_blank"
              rel="noopener noreferrer"
            >
              {t('chat.openMap')}
            </Anchor>
          )}
        </Stack>
      );
    }
    case 'contacts':
      return (
        <Text size="sm">👤 {/^\[Contact: (.*)\]$/.exec(message.text ?? '')?.[1] || t('chat.contact')}</Text>
      );
    case 'reaction': {
      const emoji = /^\[Reaction (.+)\]$/.exec(message.text ?? '')?.[1];
      return (
        <Text size="sm" c="dimmed">
          {emoji ? t('chat.reaction', { emoji }) : t('chat.reactionRemoved')}
        </Text>
      );
    }
    case 'template':
      return (
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t('chat.template', { name: message.template?.name ?? '' })}
          </Text>
          {message.template?.variables && message.template.variables.length > 0 && (
            <Text size="sm">{message.template.variables.join(' · ')}</Text>
          )}
        </Stack>
      );
    case 'unsupported':
      return (
        <Text size="sm" c="dimmed" fs="italic">
          {t('chat.unsupported', {
            kind: /^\[Unsupported message: (.*)\]$/.exec(message.text ?? '')?.[1] ?? message.type,
          })}
        </Text>
      );
    default:
      return text(message.text);
  }
}
