/**
 * The demo's WhatsApp: every branch of the demo shops connected to the built-in Cloud API simulator, and a few
 * conversations on recent open leads so the lead page is not empty.
 *
 * It runs at every demo start (`npm start` with the simulator on): the simulator keeps its numbers in memory, so
 * each start makes new credentials, seals them into the channels as `PUT …/whatsapp-channel` would, and hands the
 * same ones to the simulator. The conversations are written once (when the shop has no WhatsApp message yet).
 * Like the rest of the seed it writes on the owner connection.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { CloudApiSimulator, SecretBox, SimulatedNumber } from '../../modules/whatsapp';
import { hashVerifyToken, secretContext } from '../../modules/whatsapp';
import type { Db, Tx } from '../../platform/db';
import { newId } from '../columns';
import {
  branch,
  contact,
  lead,
  leadEvent,
  tenant,
  whatsappChannel,
  whatsappMessage,
  whatsappTemplate,
} from '../schema';
import { DEMO_SHOP_SLUGS } from './demo';

const MINUTE = 60_000;
/** Open leads per branch that get a conversation. */
const CONVERSATIONS_PER_BRANCH = 4;

export interface DemoWhatsappResult {
  numbers: { branchId: string; tenantId: string; phoneNumberId: string; displayPhoneNumber: string }[];
  conversationsSeeded: number;
}

/** A phone number id of the simulator for a branch's number: stable across starts, like Meta's. */
export const demoPhoneNumberId = (whatsappPhone: string) => `10${whatsappPhone.replace(/\D/g, '')}`;

const secret = (bytes: number) => randomBytes(bytes).toString('hex');

/** The demo accounts' approved templates: {{1}} the customer's name, {{2}} the product (as the composer fills them). */
const DEMO_TEMPLATES = [
  {
    name: 'seguimiento_consulta',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [
      {
        type: 'BODY',
        text: 'Hola {{1}}, te escribimos por tu consulta sobre {{2}}. ¿Te ayudamos a completar tu compra?',
      },
    ],
  },
  {
    name: 'cotizacion_lista',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hola {{1}}, tu cotización está lista. ¿Te la enviamos por aquí?' }],
  },
];

export async function connectDemoWhatsapp(
  db: Db,
  deps: {
    box: SecretBox;
    simulator: Pick<CloudApiSimulator, 'addNumber' | 'addTemplate'>;
    now?: Date;
  },
): Promise<DemoWhatsappResult> {
  const now = (deps.now ?? new Date()).getTime();
  return db.transaction(async (tx) => {
    const branches = await tx
      .select({
        id: branch.id,
        tenantId: branch.tenantId,
        whatsappPhone: branch.whatsappPhone,
        shopName: tenant.name,
        slug: tenant.slug,
      })
      .from(branch)
      .innerJoin(tenant, eq(tenant.id, branch.tenantId))
      .where(and(inArray(tenant.slug, [...DEMO_SHOP_SLUGS]), isNotNull(branch.whatsappPhone)))
      .orderBy(tenant.slug, branch.name);

    const numbers: DemoWhatsappResult['numbers'] = [];
    const accounts = new Set<string>();
    const at = new Date(now).toISOString();
    for (const b of branches) {
      if (!b.whatsappPhone) continue;
      const number: SimulatedNumber = {
        phoneNumberId: demoPhoneNumberId(b.whatsappPhone),
        businessAccountId:
          `20${DEMO_SHOP_SLUGS.indexOf(b.slug as (typeof DEMO_SHOP_SLUGS)[number]) + 1}`.padEnd(15, '0'),
        accessToken: `EAAG${secret(24)}`,
        appSecret: secret(16),
        displayPhoneNumber: b.whatsappPhone,
        verifiedName: b.shopName,
      };
      const sealed = {
        accessTokenEnc: deps.box.seal(number.accessToken, secretContext(b.tenantId, b.id, 'accessToken')),
        appSecretEnc: deps.box.seal(number.appSecret, secretContext(b.tenantId, b.id, 'appSecret')),
        verifyTokenHash: hashVerifyToken(secret(16)),
      };
      // Tested already: the simulator answers for this number with these credentials.
      const tested = {
        status: 'CONNECTED' as const,
        displayPhoneNumber: b.whatsappPhone,
        verifiedName: b.shopName,
        qualityRating: 'GREEN',
        lastError: null,
        lastTestedAt: at,
        updatedAt: at,
      };
      const [channel] = await tx
        .insert(whatsappChannel)
        .values({
          tenantId: b.tenantId,
          branchId: b.id,
          phoneNumberId: number.phoneNumberId,
          businessAccountId: number.businessAccountId,
          ...sealed,
          ...tested,
        })
        .onConflictDoUpdate({
          target: [whatsappChannel.tenantId, whatsappChannel.branchId],
          set: {
            phoneNumberId: number.phoneNumberId,
            businessAccountId: number.businessAccountId,
            ...sealed,
            ...tested,
            version: sql`${whatsappChannel.version} + 1`,
          },
        })
        .returning({ id: whatsappChannel.id });
      deps.simulator.addNumber(number);
      // Approved templates on the account, as a sync would have stored them: a seller can open a conversation
      // whose 24-hour window is closed (a tracked click whose customer has not written yet).
      if (!accounts.has(number.businessAccountId)) {
        accounts.add(number.businessAccountId);
        for (const template of DEMO_TEMPLATES) deps.simulator.addTemplate(number.businessAccountId, template);
      }
      if (channel) {
        await tx
          .insert(whatsappTemplate)
          .values(
            DEMO_TEMPLATES.map((template) => ({
              tenantId: b.tenantId,
              channelId: channel.id,
              ...template,
              syncedAt: at,
            })),
          )
          .onConflictDoNothing();
      }
      numbers.push({
        branchId: b.id,
        tenantId: b.tenantId,
        phoneNumberId: number.phoneNumberId,
        displayPhoneNumber: b.whatsappPhone,
      });
    }

    let conversationsSeeded = 0;
    const tenantIds = [...new Set(branches.map((b) => b.tenantId))];
    for (const tenantId of tenantIds) {
      const [any] = await tx
        .select({ id: whatsappMessage.id })
        .from(whatsappMessage)
        .where(eq(whatsappMessage.tenantId, tenantId))
        .limit(1);
      if (any) continue;
      const channels = await tx
        .select({ id: whatsappChannel.id, branchId: whatsappChannel.branchId })
        .from(whatsappChannel)
        .where(eq(whatsappChannel.tenantId, tenantId));
      for (const channel of channels) {
        conversationsSeeded += await seedConversations(tx, tenantId, channel, now);
      }
    }
    return { numbers, conversationsSeeded };
  });
}

/** A short exchange on the branch's most recent open leads: the customer asks, the seller answers, some write again. */
async function seedConversations(
  tx: Tx,
  tenantId: string,
  channel: { id: string; branchId: string },
  now: number,
) {
  const leads = await tx
    .select({
      id: lead.id,
      assignedToUserId: lead.assignedToUserId,
      name: contact.name,
      phone: contact.phone,
      opener: sql<string | null>`(select e.payload->>'text' from lead_event e
        where e.tenant_id = ${lead.tenantId} and e.lead_id = ${lead.id} and e.type = 'MESSAGE_RECEIVED'
        order by e.created_at limit 1)`,
    })
    .from(lead)
    .innerJoin(contact, and(eq(contact.tenantId, lead.tenantId), eq(contact.id, lead.contactId)))
    .where(
      and(
        eq(lead.tenantId, tenantId),
        eq(lead.branchId, channel.branchId),
        inArray(lead.status, ['NEW', 'CONTACTED', 'QUALIFIED']),
        isNotNull(contact.phone),
      ),
    )
    .orderBy(desc(lead.createdAt))
    .limit(CONVERSATIONS_PER_BRANCH);

  for (const [i, row] of leads.entries()) {
    const customerWaId = (row.phone ?? '').replace(/\D/g, '');
    const firstName = row.name?.split(' ')[0] ?? '';
    // Within the last hours, so the 24-hour window is open and the seller can answer from the lead page.
    const start = now - (90 + i * 35) * MINUTE;
    const lines: {
      direction: 'IN' | 'OUT';
      text: string;
      at: number;
      status: 'RECEIVED' | 'DELIVERED' | 'READ';
    }[] = [
      { direction: 'IN', text: row.opener ?? 'Hola, ¿tienen stock?', at: start, status: 'RECEIVED' },
      {
        direction: 'OUT',
        text: `¡Hola${firstName ? ` ${firstName}` : ''}! Sí, lo tenemos disponible. ¿Quieres que te lo separe?`,
        at: start + 6 * MINUTE,
        status: i === 0 ? 'DELIVERED' : 'READ',
      },
    ];
    // Every other customer wrote again since: the inbox shows it unread.
    if (i % 2 === 0) {
      lines.push({
        direction: 'IN',
        text: '¿Hacen envíos a domicilio? ¿Cuánto costaría?',
        at: start + 25 * MINUTE,
        status: 'RECEIVED',
      });
    }
    for (const line of lines) {
      const at = new Date(line.at).toISOString();
      const wamid = `wamid.demo${randomBytes(18).toString('base64url')}`;
      const id = newId();
      await tx.insert(whatsappMessage).values({
        id,
        tenantId,
        leadId: row.id,
        channelId: channel.id,
        direction: line.direction,
        waMessageId: wamid,
        customerWaId,
        type: 'text',
        text: line.text,
        status: line.status,
        sentByUserId: line.direction === 'OUT' ? row.assignedToUserId : null,
        sendAttempts: line.direction === 'OUT' ? 1 : 0,
        waTimestamp: at,
        createdAt: at,
        updatedAt: at,
      });
      await tx.insert(leadEvent).values({
        tenantId,
        leadId: row.id,
        type: line.direction === 'IN' ? 'MESSAGE_RECEIVED' : 'MESSAGE_SENT',
        payload: { channel: 'WHATSAPP', messageId: id, waMessageId: wamid, type: 'text', text: line.text },
        actorUserId: line.direction === 'OUT' ? row.assignedToUserId : null,
        createdAt: at,
      });
    }
    const last = lines.at(-1);
    const reply = lines.find((l) => l.direction === 'OUT');
    if (!last || !reply) continue;
    const lastAt = new Date(last.at).toISOString();
    const replyAt = new Date(reply.at).toISOString();
    await tx
      .update(lead)
      .set({
        lastMessageAt: lastAt,
        lastMessagePreview: last.text,
        lastMessageDirection: last.direction,
        unreadCount: lines.filter((l) => l.direction === 'IN' && l.at > reply.at).length,
        conversationReadAt: replyAt,
        firstResponseAt: sql`coalesce(${lead.firstResponseAt}, ${replyAt}::timestamptz)`,
        lastActivityAt: sql`greatest(${lead.lastActivityAt}, ${lastAt}::timestamptz)`,
      })
      .where(and(eq(lead.tenantId, tenantId), eq(lead.id, row.id)));
  }
  return leads.length;
}
