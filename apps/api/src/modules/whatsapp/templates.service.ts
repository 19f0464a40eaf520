import type { WhatsappTemplate, WhatsappTemplateRef } from '@techmarket/contracts';
import { branchScope, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, invalidField, notFound } from '../../platform/errors';
import { accessTokenOf } from './channels.service';
import { type GraphClient, GraphError } from './graph-client';
import type { SecretBox } from './secret-box';
import { createWhatsappRepository } from './whatsapp.repository';

/**
 * The message templates of a branch's business account. Meta reviews templates; only an APPROVED one may be sent
 * (outside the 24-hour window it is the only thing that may be sent). The CRM keeps the list as last synced
 * (`GET /{waba-id}/message_templates`): on demand, and after a number is connected. A template send is checked
 * against it at once (422 naming `template.name`) rather than accepted and failed later by Meta.
 */

type TemplateRow = Awaited<ReturnType<ReturnType<typeof createWhatsappRepository>['listTemplates']>>[number];

/** The BODY component's text, where the variables ({{1}}, {{2}}, ...) are. */
export function templateBody(components: Record<string, unknown>[]): string | null {
  const body = components.find((c) => typeof c.type === 'string' && c.type.toUpperCase() === 'BODY');
  return typeof body?.text === 'string' ? body.text : null;
}

/** How many variables a body takes: its highest {{n}}. */
export function variableCount(bodyText: string | null): number {
  let highest = 0;
  for (const match of bodyText?.matchAll(/\{\{\s*(\d{1,2})\s*\}\}/g) ?? [])
    highest = Math.max(highest, Number(match[1]));
  return highest;
}

const toWire = (row: TemplateRow): WhatsappTemplate => {
  const bodyText = templateBody(row.components);
  return {
    id: row.id,
    name: row.name,
    language: row.language,
    status: row.status,
    category: row.category,
    bodyText,
    variableCount: variableCount(bodyText),
    components: row.components,
    syncedAt: row.syncedAt,
  };
};

export interface TemplatesDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  box: SecretBox;
  graph: Pick<GraphClient, 'listTemplates'>;
}

export function createTemplatesService({ database, clock, box, graph }: TemplatesDeps) {
  const repo = createWhatsappRepository();

  const requireBranch = (actor: UserPrincipal, tenantId: string, branchId: string) => {
    const scope = branchScope(actor);
    if (actor.tenantId !== tenantId || (scope !== null && !scope.includes(branchId)))
      throw notFound('WhatsApp channel');
  };

  /** Reads the account's templates from the Graph API and makes the stored list exactly that. */
  async function syncChannel(tenantId: string, branchId: string) {
    const channel = await database.withTenant(tenantId, (tx) =>
      repo.findChannelWithSecrets(tx, tenantId, { branchId }),
    );
    if (!channel) throw notFound('WhatsApp channel');
    let listed: Awaited<ReturnType<GraphClient['listTemplates']>>;
    try {
      listed = await graph.listTemplates(channel.businessAccountId, accessTokenOf(box, channel));
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      throw new AppError('UNPROCESSABLE', `The Graph API refused the template list: ${error.title}`, {
        errors: [{ path: 'businessAccountId', message: error.title.slice(0, 500), code: 'PROVIDER_REFUSED' }],
      });
    }
    // Meta lists one row per name and language; a repeat (it happens across pages) is kept once.
    const unique = new Map(listed.map((t) => [`${t.name}\u0001${t.language}`, t]));
    const at = clock.now().toISOString();
    return database.withTenant(tenantId, async (tx) => {
      await repo.replaceTemplates(
        tx,
        tenantId,
        channel.id,
        [...unique.values()].map((t) => ({
          name: t.name,
          language: t.language,
          status: t.status.toUpperCase(),
          category: t.category ?? null,
          components: (t.components ?? []) as Record<string, unknown>[],
        })),
        at,
      );
      return (await repo.listTemplates(tx, tenantId, channel.id)).map(toWire);
    });
  }

  return {
    syncChannel,

    /** `POST …/whatsapp-channel/templates/sync` (OWNER, MANAGER). */
    async sync(actor: UserPrincipal, tenantId: string, branchId: string) {
      requireBranch(actor, tenantId, branchId);
      return { items: await syncChannel(tenantId, branchId) };
    },

    /** `GET …/whatsapp-channel/templates`: everyone of the branch (sellers pick one to send). */
    async list(actor: UserPrincipal, tenantId: string, branchId: string) {
      requireBranch(actor, tenantId, branchId);
      return database.withTenant(tenantId, async (tx) => {
        const channel = await repo.findChannelByBranch(tx, tenantId, branchId);
        if (!channel) throw notFound('WhatsApp channel');
        return { items: (await repo.listTemplates(tx, tenantId, channel.id)).map(toWire) };
      });
    },
  };
}

/**
 * A template send is allowed when the template is synced and APPROVED on that channel, and (when its body is
 * known) given as many variables as the body has. Runs in the send's transaction.
 */
export async function checkTemplateSendable(
  tx: Tx,
  tenantId: string,
  channelId: string,
  template: WhatsappTemplateRef,
) {
  const repo = createWhatsappRepository();
  const found = await repo.findTemplate(tx, tenantId, channelId, template.name, template.language);
  if (!found) {
    throw invalidField(
      'template.name',
      `no template "${template.name}" in ${template.language} is synced for this number; sync the templates in Settings`,
      'TEMPLATE_UNKNOWN',
    );
  }
  if (found.status !== 'APPROVED') {
    throw invalidField(
      'template.name',
      `the template "${template.name}" is ${found.status} at Meta; only an APPROVED template can be sent`,
      'TEMPLATE_NOT_APPROVED',
    );
  }
  const bodyText = templateBody(found.components);
  const expected = variableCount(bodyText);
  const given = template.variables?.length ?? 0;
  if (bodyText !== null && given !== expected) {
    throw invalidField(
      'template.variables',
      `the template takes ${expected} variables, ${given} given`,
      'TEMPLATE_VARIABLES',
    );
  }
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
