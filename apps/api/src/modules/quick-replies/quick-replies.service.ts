import type {
  CreateQuickReplyInput,
  QuickReply,
  quickRepliesQuery,
  UpdateQuickReplyInput,
} from '@techmarket/contracts';
import type { z } from 'zod';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import { idCursor, paginate } from '../../platform/cursor';
import type { Database } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, notFound } from '../../platform/errors';
import { createQuickRepliesRepository } from './quick-replies.repository';

/**
 * Quick replies: a shop's saved answers, with variables ({nombre}, {producto}, {precio}) the composer fills from
 * the lead (`fillQuickReply` in the contracts). Everyone in the shop reads them; OWNER and MANAGER keep them
 * (the routes check the role). Titles are unique per shop, so the picker can list them by name. Edits are
 * optimistic: a stale version is a 409.
 */

export interface QuickRepliesDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

const titleTaken = (error: unknown): never => {
  if (isUniqueViolation(error, 'quick_reply_tenant_title_key')) {
    throw new AppError('CONFLICT', 'Another quick reply already has this title', {
      errors: [{ path: 'title', message: 'already used by another quick reply', code: 'ALREADY_USED' }],
    });
  }
  throw error;
};

export function createQuickRepliesService({ database, clock }: QuickRepliesDeps) {
  const repo = createQuickRepliesRepository();
  const now = () => clock.now().toISOString();
  /** Another tenant's quick reply does not exist for the caller. */
  const inTenant = (viewer: Principal, tenantId: string) => {
    if (viewer.tenantId !== tenantId) throw notFound('Tenant');
  };

  return {
    async list(viewer: Principal, tenantId: string, query: z.output<typeof quickRepliesQuery>) {
      inTenant(viewer, tenantId);
      const afterId = query.cursor ? idCursor.decode(query.cursor).id : null;
      const rows = await database.withTenant(tenantId, (tx) => repo.list(tx, tenantId, afterId, query.limit));
      const page = paginate(rows, query.limit, idCursor, (row) => ({ id: row.id }));
      const items: QuickReply[] = page.rows;
      return { items, nextCursor: page.nextCursor };
    },

    create: (actor: UserPrincipal, tenantId: string, input: CreateQuickReplyInput): Promise<QuickReply> => {
      inTenant(actor, tenantId);
      const at = now();
      return database
        .withTenant(tenantId, (tx) =>
          repo.insert(tx, {
            tenantId,
            title: input.title,
            text: input.text,
            createdByUserId: actor.userId,
            createdAt: at,
            updatedAt: at,
          }),
        )
        .catch(titleTaken);
    },

    update: (actor: UserPrincipal, id: string, input: UpdateQuickReplyInput): Promise<QuickReply> =>
      database
        .withTenant(actor.tenantId, async (tx) => {
          const current = await repo.get(tx, actor.tenantId, id);
          if (!current) throw notFound('Quick reply');
          const { version, ...changes } = input;
          if (current.version !== version) throw staleVersion();
          if (Object.keys(changes).length === 0) return current;
          const row = await repo.update(tx, actor.tenantId, id, version, changes, now());
          if (!row) throw staleVersion();
          return row;
        })
        .catch(titleTaken),

    async remove(actor: UserPrincipal, id: string) {
      const removed = await database.withTenant(actor.tenantId, (tx) => repo.remove(tx, actor.tenantId, id));
      if (!removed) throw notFound('Quick reply');
    },
  };
}

const staleVersion = () =>
  new AppError('VERSION_CONFLICT', 'The quick reply was changed by someone else; reload it', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

export type QuickRepliesService = ReturnType<typeof createQuickRepliesService>;
