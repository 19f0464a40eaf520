import { createHash } from 'node:crypto';
import type { WhatsappChannel, WhatsappChannelInput } from '@techmarket/contracts';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, notFound } from '../../platform/errors';
import type { IdentityService } from '../identity';
import { type GraphClient, GraphError } from './graph-client';
import type { SecretBox } from './secret-box';
import { type ChannelWithSecrets, createWhatsappRepository } from './whatsapp.repository';

/**
 * A branch's WhatsApp number: connected by an OWNER (MANAGERs may look), tested against the Graph API.
 * Secrets are sealed before they reach the database and never leave the service in an answer.
 */

export const hashVerifyToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Each secret is sealed for its branch and field: a ciphertext moved elsewhere does not open. */
export const secretContext = (tenantId: string, branchId: string, field: 'accessToken' | 'appSecret') =>
  `whatsapp-channel:${tenantId}:${branchId}:${field}`;

export interface ChannelsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findBranch'>;
  box: SecretBox;
  graph: Pick<GraphClient, 'readPhoneNumber'>;
  /** After a number is connected (committed): the templates of its business account are synced. */
  onConnected?: (tenantId: string, branchId: string) => Promise<void>;
  /** After a channel is connected, reconnected or removed (committed): cached routing is dropped everywhere. */
  onChanged?: () => Promise<void>;
}

export function createChannelsService({
  database,
  clock,
  identity,
  box,
  graph,
  onConnected,
  onChanged,
}: ChannelsDeps) {
  const repo = createWhatsappRepository();

  const requireTenant = (actor: UserPrincipal, tenantId: string) => {
    if (actor.tenantId !== tenantId) throw notFound('Branch');
  };

  return {
    async getChannel(actor: UserPrincipal, tenantId: string, branchId: string): Promise<WhatsappChannel> {
      requireTenant(actor, tenantId);
      const row = await database.withTenant(tenantId, (tx) =>
        repo.findChannelByBranch(tx, tenantId, branchId),
      );
      if (!row) throw notFound('WhatsApp channel');
      return row;
    },

    /** Every branch's channel (the settings screen), without secrets. */
    async listChannels(actor: UserPrincipal, tenantId: string) {
      requireTenant(actor, tenantId);
      return {
        items: await database.withTenant(tenantId, (tx) => repo.listChannels(tx, tenantId)),
      };
    },

    async putChannel(
      actor: UserPrincipal,
      tenantId: string,
      branchId: string,
      input: WhatsappChannelInput,
    ): Promise<WhatsappChannel> {
      requireTenant(actor, tenantId);
      let channel: WhatsappChannel;
      try {
        channel = await database.withTenant(tenantId, async (tx) => {
          const branch = await identity.findBranch(tx, tenantId, branchId);
          if (!branch) throw notFound('Branch');
          const row = await repo.upsertChannel(tx, {
            tenantId,
            branchId,
            phoneNumberId: input.phoneNumberId,
            businessAccountId: input.businessAccountId,
            accessTokenEnc: box.seal(input.accessToken, secretContext(tenantId, branchId, 'accessToken')),
            appSecretEnc: box.seal(input.appSecret, secretContext(tenantId, branchId, 'appSecret')),
            verifyTokenHash: hashVerifyToken(input.verifyToken),
          });
          // New credentials may name another business account: its templates come from the next sync only.
          await repo.clearTemplates(tx, tenantId, row.id);
          return row;
        });
      } catch (error) {
        if (isUniqueViolation(error, 'whatsapp_channel_phone_number_key')) {
          throw new AppError(
            'CONFLICT',
            'phoneNumberId: this number is already connected to another branch',
            {
              errors: [
                {
                  path: 'phoneNumberId',
                  message: 'already connected to another branch',
                  code: 'ALREADY_USED',
                },
              ],
            },
          );
        }
        throw error;
      }
      await onChanged?.();
      await onConnected?.(tenantId, branchId);
      return channel;
    },

    async deleteChannel(actor: UserPrincipal, tenantId: string, branchId: string): Promise<void> {
      requireTenant(actor, tenantId);
      const deleted = await database.withTenant(tenantId, (tx) => repo.deleteChannel(tx, tenantId, branchId));
      if (!deleted) throw notFound('WhatsApp channel');
      await onChanged?.();
    },

    /** "Test connection": reads the number from the Graph API with the stored token and keeps what it says. */
    async testChannel(actor: UserPrincipal, tenantId: string, branchId: string) {
      requireTenant(actor, tenantId);
      const channel = await database.withTenant(tenantId, (tx) =>
        repo.findChannelWithSecrets(tx, tenantId, { branchId }),
      );
      if (!channel) throw notFound('WhatsApp channel');
      const at = clock.now().toISOString();
      let outcome: Parameters<typeof repo.recordTest>[3];
      try {
        const number = await graph.readPhoneNumber(channel.phoneNumberId, accessTokenOf(box, channel));
        outcome = {
          ok: true,
          displayPhoneNumber: number.display_phone_number,
          verifiedName: number.verified_name ?? null,
          qualityRating: number.quality_rating ?? null,
        };
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        outcome = { ok: false, error: error.title.slice(0, 500) };
      }
      const updated = await database.withTenant(tenantId, (tx) =>
        repo.recordTest(tx, tenantId, channel.id, outcome, at),
      );
      if (!updated) throw notFound('WhatsApp channel');
      if (!outcome.ok) {
        throw new AppError('UNPROCESSABLE', `The Graph API refused the channel: ${outcome.error}`, {
          errors: [{ path: 'accessToken', message: outcome.error, code: 'PROVIDER_REFUSED' }],
        });
      }
      return {
        displayPhoneNumber: outcome.displayPhoneNumber,
        verifiedName: outcome.verifiedName,
        qualityRating: outcome.qualityRating,
        channel: updated,
      };
    },
  };
}

export const accessTokenOf = (
  box: SecretBox,
  channel: Pick<ChannelWithSecrets, 'tenantId' | 'branchId' | 'accessTokenEnc'>,
) => box.open(channel.accessTokenEnc, secretContext(channel.tenantId, channel.branchId, 'accessToken'));

export type ChannelsService = ReturnType<typeof createChannelsService>;
