import { createHash } from 'node:crypto';
import { accessTokenOf } from './channels.service';
import type { ConversationDeps } from './conversation.service';
import { GraphError } from './graph-client';
import type { WhatsappRepository } from './whatsapp.repository';

/**
 * The media job: an inbound photo, voice note, video or document fetched from the Graph API into storage, never
 * more than `mediaMaxBytes` read (larger media is kept as TOO_LARGE). A retryable failure is thrown again so the
 * queue retries; a refusal is final (FAILED). Each step is announced as `message.updated`.
 */
export function createMediaFetch(
  deps: Pick<ConversationDeps, 'database' | 'clock' | 'box' | 'graph' | 'mediaMaxBytes' | 'log'> & {
    repo: WhatsappRepository;
    /** Reads the message again and announces where it stands now. */
    announceUpdated: (tenantId: string, messageId: string) => Promise<void>;
  },
) {
  const { database, clock, box, graph, mediaMaxBytes, log, repo, announceUpdated } = deps;
  return async function fetchMedia(tenantId: string, messageId: string) {
    const found = await database.withTenant(tenantId, async (tx) => {
      const message = await repo.findMessage(tx, tenantId, messageId);
      if (!message?.mediaId || message.mediaStatus !== 'PENDING') return null;
      const channel = await repo.findChannelWithSecrets(tx, tenantId, { channelId: message.channelId });
      return channel ? { message, token: accessTokenOf(box, channel) } : { message, token: null };
    });
    if (!found) return;
    const { message, token } = found;
    const at = () => clock.now().toISOString();
    const mark = async (media: Parameters<typeof repo.setMedia>[3]) => {
      await database.withTenant(tenantId, (tx) => repo.setMedia(tx, tenantId, messageId, media, at()));
      await announceUpdated(tenantId, messageId);
    };
    if (!token || !message.mediaId) return mark({ status: 'FAILED' });
    try {
      const info = await graph.mediaInfo(message.mediaId, token);
      if (info.file_size !== undefined && info.file_size > mediaMaxBytes) {
        return mark({ status: 'TOO_LARGE', mimeType: info.mime_type, byteSize: info.file_size });
      }
      const download = await graph.downloadMedia(info.url, token, mediaMaxBytes);
      if (download.tooLarge) {
        return mark({ status: 'TOO_LARGE', mimeType: info.mime_type, byteSize: download.byteSize });
      }
      await database.withTenant(tenantId, async (tx) => {
        await repo.insertMedia(tx, {
          tenantId,
          messageId,
          content: download.bytes,
          mimeType: info.mime_type,
          byteSize: download.bytes.length,
          sha256: createHash('sha256').update(download.bytes).digest('hex'),
        });
        await repo.setMedia(
          tx,
          tenantId,
          messageId,
          { status: 'STORED', mimeType: info.mime_type, byteSize: download.bytes.length },
          at(),
        );
      });
      await announceUpdated(tenantId, messageId);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      // A retryable failure is thrown again so the queue retries; a refusal is final.
      if (error.retryable) throw error;
      log.warn({ tenantId, messageId, err: error }, 'whatsapp: media could not be fetched');
      await mark({ status: 'FAILED' });
    }
  };
}
