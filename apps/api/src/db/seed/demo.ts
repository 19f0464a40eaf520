// Over 350 lines: the demo shops' whole story (catalog, team, ninety days of leads), written to be read top to bottom.
/**
 * Demo data: two shops with a catalog, a team and about ninety days of leads with their history.
 *
 * The seed is reproducible: every choice comes from a seeded PRNG and every time is relative to
 * `now`, so two runs with the same `now` tell the same story (only the UUIDv7 ids differ).
 * It is idempotent: when the demo tenant exists nothing is written.
 *
 * Lead histories follow the pipeline rules: NEW -> CONTACTED -> QUALIFIED -> QUOTED -> WON, or LOST /
 * DORMANT from an open stage, never backwards; the first move out of NEW is the first response, and
 * sellers act within the branch's business hours. Leads go DORMANT only after a week or more idle.
 */
import { hash } from '@node-rs/argon2';
import {
  type BusinessHours,
  type LeadStatus,
  type leadPriorities,
  type leadSources,
  type lostReasons,
  priceQuote,
} from '@techmarket/contracts';
import { inArray, sql } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { DEFAULT_QUOTE_VALID_DAYS, defaultSlaHours, taxDefaultsFor } from '../../modules/quotes';
import { addBusinessTime } from '../../platform/business-time';
import type { Db, Tx } from '../../platform/db';
import { normalizePhone } from '../../platform/phone';
import { newId } from '../columns';
import {
  appUser,
  branch,
  campaign,
  campaignMetricDaily,
  campaignWin,
  contact,
  lead,
  leadEvent,
  leadNote,
  listing,
  listingView,
  quote,
  quoteCounter,
  quoteItem,
  type StoredShopFacts,
  shopFacts,
  task,
  tenant,
  ticket,
  userBranch,
} from '../schema';
import { type CatalogItem, electroHogarCatalog, techPeruCatalog } from './catalog-data';
import { type Conversation, mexicoConversation, peruConversation } from './conversation';
import { mexicanNames, type NamePool, peruvianNames } from './names';

export const DEMO_PASSWORD = 'techmarket2026';

export interface DemoLogin {
  email: string;
  password: string;
  role: string;
  tenant: string;
}

export interface SeedDemoResult {
  created: boolean;
  logins: DemoLogin[];
}

type LeadSource = (typeof leadSources)[number];
type LeadPriority = (typeof leadPriorities)[number];
type LostReason = (typeof lostReasons)[number];
type LeadType = 'SALE' | 'SERVICE';
type TenantRow = typeof tenant.$inferInsert;
type BranchRow = typeof branch.$inferInsert;
type UserRow = typeof appUser.$inferInsert;
type ListingRow = typeof listing.$inferInsert;
type ContactRow = typeof contact.$inferInsert;
type LeadRow = typeof lead.$inferInsert;
type LeadEventRow = typeof leadEvent.$inferInsert;
type LeadNoteRow = typeof leadNote.$inferInsert;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const INSERT_CHUNK = 500;
/** Serialises concurrent seeds (two API instances starting at once) before the existence check. */
const SEED_LOCK_KEY = 7_310_422;

// ---------------------------------------------------------------------------------------------
// The two shops
// ---------------------------------------------------------------------------------------------

interface PersonSpec {
  name: string;
  email: string;
}

interface BranchSpec {
  name: string;
  whatsappPhone: string;
  zone: string;
  /** Share of the shop's leads that arrive at this branch. */
  leadShare: number;
  /** Where this branch's customers ask to have things delivered. */
  deliveryPlaces: readonly string[];
  /** The street address the assistant gives a customer who asks where the shop is. */
  address: string;
}

interface ShopSpec {
  prngSeed: number;
  name: string;
  slug: string;
  currency: string;
  timezone: string;
  /**
   * The time zone's fixed UTC offset. Peru and Mexico City keep no daylight saving time, so a
   * constant offset places business hours exactly without a time-zone library.
   */
  utcOffsetMinutes: number;
  countryCode: 'PE' | 'MX';
  businessHours: BusinessHours;
  branches: readonly BranchSpec[];
  owner: PersonSpec;
  /** Managers work across every branch. */
  managers: readonly PersonSpec[];
  sellers: ReadonlyArray<PersonSpec & { branch: string }>;
  catalog: readonly CatalogItem[];
  names: NamePool;
  conversation: Conversation;
  /** A candidate customer mobile, national digits; checked with normalizePhone before use. */
  mobileCandidate: (rng: Rng) => string;
  taxId: (rng: Rng) => string;
  leadCount: number;
  historyDays: number;
  /** What the shop told the assistant (settings, "Datos para el asistente"), so its replies answer questions. */
  facts: StoredShopFacts;
}

const peruHours: BusinessHours = {
  mon: [{ open: '09:00', close: '20:00' }],
  tue: [{ open: '09:00', close: '20:00' }],
  wed: [{ open: '09:00', close: '20:00' }],
  thu: [{ open: '09:00', close: '20:00' }],
  fri: [{ open: '09:00', close: '20:00' }],
  sat: [{ open: '09:00', close: '14:00' }],
  sun: [],
};

const guadalajaraHours: BusinessHours = {
  mon: [{ open: '10:00', close: '20:00' }],
  tue: [{ open: '10:00', close: '20:00' }],
  wed: [{ open: '10:00', close: '20:00' }],
  thu: [{ open: '10:00', close: '20:00' }],
  fri: [{ open: '10:00', close: '20:00' }],
  sat: [{ open: '10:00', close: '18:00' }],
  sun: [{ open: '11:00', close: '16:00' }],
};

const techPeru: ShopSpec = {
  prngSeed: 20_260_115,
  name: 'TechPeru Store',
  slug: 'techperu-store',
  currency: 'PEN',
  timezone: 'America/Lima',
  utcOffsetMinutes: -5 * 60,
  countryCode: 'PE',
  businessHours: peruHours,
  branches: [
    {
      name: 'Miraflores',
      whatsappPhone: '+51 946 218 735',
      zone: 'Lima - Miraflores',
      address: 'Av. José Larco 812, tienda 14, Miraflores',
      leadShare: 0.6,
      deliveryPlaces: [
        'Surco',
        'San Borja',
        'San Juan de Lurigancho',
        'Los Olivos',
        'Callao',
        'Chorrillos',
        'La Molina',
        'Trujillo',
        'Piura',
        'Chiclayo',
      ],
    },
    {
      name: 'Arequipa',
      whatsappPhone: '+51 959 341 872',
      zone: 'Arequipa - Cercado',
      address: 'Calle Mercaderes 325, Cercado de Arequipa',
      leadShare: 0.4,
      deliveryPlaces: [
        'Cayma',
        'Yanahuara',
        'Cerro Colorado',
        'Paucarpata',
        'Cusco',
        'Juliaca',
        'Tacna',
        'Puno',
      ],
    },
  ],
  owner: { name: 'Jorge Huamán Rivera', email: 'owner@techperu.pe' },
  managers: [{ name: 'Andrea Salazar Núñez', email: 'manager@techperu.pe' }],
  sellers: [
    { name: 'Lucía Ramos', email: 'lucia.ramos@techperu.pe', branch: 'Miraflores' },
    { name: 'Diego Paredes', email: 'diego.paredes@techperu.pe', branch: 'Miraflores' },
    { name: 'Carlos Zegarra', email: 'carlos.zegarra@techperu.pe', branch: 'Arequipa' },
    { name: 'Milagros Valdivia', email: 'milagros.valdivia@techperu.pe', branch: 'Arequipa' },
  ],
  catalog: techPeruCatalog,
  names: peruvianNames,
  conversation: peruConversation,
  // Peruvian mobiles are nine digits starting with 9.
  mobileCandidate: (rng) => `9${digits(rng, 8)}`,
  // A RUC of a company (sociedad) starts with 20.
  taxId: (rng) => `20${digits(rng, 9)}`,
  leadCount: 300,
  historyDays: 90,
  facts: {
    delivery: {
      offered: true,
      zones: [
        { name: 'Lima Metropolitana', price: 1500, days: 1 },
        { name: 'Callao', price: 2000, days: 1 },
        { name: 'Arequipa ciudad', price: 1000, days: 1 },
        { name: 'Provincias', price: 2500, days: 3 },
      ],
      note: 'A provincias enviamos por Olva Courier; el pago del envío es contra entrega.',
    },
    pickup: { offered: true, note: 'Puedes recoger en cualquiera de nuestras dos tiendas.' },
    payment: {
      methods: ['CARD', 'CASH', 'TRANSFER', 'YAPE', 'PLIN'],
      installments: { offered: true, maxCount: 12, interestFree: false },
      note: null,
    },
    warranty: { months: 12, note: 'La garantía de fábrica se gestiona en nuestra tienda.' },
    repair: {
      turnaroundDays: 3,
      diagnosisPrice: 3000,
      note: 'El diagnóstico se descuenta si haces la reparación.',
    },
  },
};

const electroHogar: ShopSpec = {
  prngSeed: 52_330_001,
  name: 'ElectroHogar MX',
  slug: 'electrohogar-mx',
  currency: 'MXN',
  timezone: 'America/Mexico_City',
  utcOffsetMinutes: -6 * 60,
  countryCode: 'MX',
  businessHours: guadalajaraHours,
  branches: [
    {
      name: 'Guadalajara Centro',
      whatsappPhone: '+52 33 3614 2870',
      zone: 'Guadalajara - Centro',
      address: 'Av. Juárez 480, local 3, Guadalajara Centro',
      leadShare: 1,
      deliveryPlaces: ['Zapopan', 'Tlaquepaque', 'Tonalá', 'Tlajomulco', 'Chapala', 'Tepatitlán'],
    },
  ],
  owner: { name: 'Alejandra Orozco', email: 'owner@electrohogar.mx' },
  managers: [],
  sellers: [
    { name: 'Ricardo Jiménez', email: 'ricardo.jimenez@electrohogar.mx', branch: 'Guadalajara Centro' },
  ],
  catalog: electroHogarCatalog,
  names: mexicanNames,
  conversation: mexicoConversation,
  // Guadalajara numbers: area code 33 and eight digits, mobiles and landlines alike.
  mobileCandidate: (rng) => `33${1 + Math.floor(rng() * 9)}${digits(rng, 7)}`,
  taxId: (rng) => `${letters(rng, 3)}${digits(rng, 6)}${letters(rng, 2)}${digits(rng, 1)}`,
  leadCount: 25,
  historyDays: 60,
  facts: {
    delivery: {
      offered: true,
      zones: [
        { name: 'Zona Metropolitana de Guadalajara', price: 0, days: 1 },
        { name: 'Resto de Jalisco', price: 15000, days: 3 },
      ],
      note: null,
    },
    pickup: { offered: true, note: null },
    payment: {
      methods: ['CARD', 'CASH', 'TRANSFER', 'MERCADO_PAGO'],
      installments: { offered: true, maxCount: 6, interestFree: true },
      note: null,
    },
    warranty: { months: 6, note: null },
    repair: { turnaroundDays: null, diagnosisPrice: null, note: null },
  },
};

/** The demo shops, by slug (the WhatsApp wiring, seed/demo-whatsapp.ts, finds them by it). */
export const DEMO_SHOP_SLUGS = [techPeru.slug, electroHogar.slug] as const;

const loginOf = (shop: ShopSpec, person: PersonSpec, role: string): DemoLogin => ({
  email: person.email,
  password: DEMO_PASSWORD,
  role,
  tenant: shop.slug,
});

function demoLogins(): DemoLogin[] {
  const logins = [loginOf(techPeru, techPeru.owner, 'OWNER')];
  for (const manager of techPeru.managers.slice(0, 1)) logins.push(loginOf(techPeru, manager, 'MANAGER'));
  for (const seller of techPeru.sellers.slice(0, 1)) logins.push(loginOf(techPeru, seller, 'SELLER'));
  logins.push(loginOf(electroHogar, electroHogar.owner, 'OWNER'));
  return logins;
}

/**
 * Seeds the demo tenants on the owner connection (it bypasses row-level security), in one transaction.
 * Returns created: false, and writes nothing, when the demo tenant already exists.
 */
export async function seedDemo(db: Db, options: { now?: Date } = {}): Promise<SeedDemoResult> {
  const now = (options.now ?? new Date()).getTime();
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const existing = await tx
      .select({ slug: tenant.slug })
      .from(tenant)
      .where(inArray(tenant.slug, [techPeru.slug, electroHogar.slug]));
    const exists = (slug: string) => existing.some((row) => row.slug === slug);
    if (exists(techPeru.slug)) return false;

    // One hash for every demo user: argon2 is slow on purpose, and they share the password anyway.
    const passwordHash = await hash(DEMO_PASSWORD);
    await seedShop(tx, techPeru, passwordHash, now);
    if (!exists(electroHogar.slug)) await seedShop(tx, electroHogar, passwordHash, now);
    return true;
  });
  return { created, logins: demoLogins() };
}

// ---------------------------------------------------------------------------------------------
// One shop
// ---------------------------------------------------------------------------------------------

interface SeededBranch {
  id: string;
  spec: BranchSpec;
  sellerIds: string[];
}

interface SeededListing {
  id: string;
  branchId: string | null;
  currency: string;
  item: CatalogItem;
}

interface ShopWorld {
  spec: ShopSpec;
  tenantId: string;
  branches: SeededBranch[];
  listings: SeededListing[];
  managerIds: string[];
}

async function seedShop(tx: Tx, spec: ShopSpec, passwordHash: string, now: number): Promise<void> {
  const rng = mulberry32(spec.prngSeed);
  // The shop "opened" a month before its oldest lead.
  const openedAt = iso(now - (spec.historyDays + 30) * DAY);
  const tenantId = newId();

  const tenantRow: TenantRow = {
    id: tenantId,
    name: spec.name,
    slug: spec.slug,
    defaultCurrency: spec.currency,
    timezone: spec.timezone,
    createdAt: openedAt,
    updatedAt: openedAt,
  };

  const branches: SeededBranch[] = spec.branches.map((b) => ({ id: newId(), spec: b, sellerIds: [] }));
  const branchRows: BranchRow[] = branches.map((b) => ({
    id: b.id,
    tenantId,
    name: b.spec.name,
    whatsappPhone: e164(b.spec.whatsappPhone, spec.countryCode),
    countryCode: spec.countryCode,
    zone: b.spec.zone,
    timezone: spec.timezone,
    businessHours: spec.businessHours,
    createdAt: openedAt,
    updatedAt: openedAt,
  }));
  const branchByName = (name: string): SeededBranch => {
    const found = branches.find((b) => b.spec.name === name);
    if (!found) throw new Error(`demo seed: unknown branch "${name}" in ${spec.slug}`);
    return found;
  };

  const userRows: UserRow[] = [];
  const userBranchRows: Array<typeof userBranch.$inferInsert> = [];
  const addUser = (person: PersonSpec, role: 'OWNER' | 'MANAGER' | 'SELLER', branchIds: string[]): string => {
    const id = newId();
    const lastLoginAt = iso(now - Math.floor(rng() * 3 * DAY));
    userRows.push({
      id,
      tenantId,
      email: person.email,
      name: person.name,
      role,
      passwordHash,
      lastLoginAt,
      createdAt: openedAt,
      updatedAt: openedAt,
    });
    for (const branchId of branchIds) userBranchRows.push({ tenantId, userId: id, branchId });
    return id;
  };
  addUser(spec.owner, 'OWNER', []);
  const managerIds = spec.managers.map((m) =>
    addUser(
      m,
      'MANAGER',
      branches.map((b) => b.id),
    ),
  );
  for (const seller of spec.sellers) {
    const home = branchByName(seller.branch);
    home.sellerIds.push(addUser(seller, 'SELLER', [home.id]));
  }

  const listings: SeededListing[] = spec.catalog.map((item) => ({
    id: newId(),
    branchId: item.branch === null ? null : branchByName(item.branch).id,
    currency: spec.currency,
    item,
  }));
  const listingRows: ListingRow[] = listings.map(({ id, branchId, currency, item }, index) => ({
    id,
    tenantId,
    branchId,
    title: item.title,
    category: item.category,
    price: item.price,
    currency,
    stock: item.stock,
    sku: item.sku,
    active: item.active ?? true,
    createdAt: iso(now - (spec.historyDays + 25) * DAY + index * 17 * MINUTE),
    // Prices and stock were touched at some point in the last weeks.
    updatedAt: iso(now - Math.floor(rng() * 20 * DAY) - HOUR),
  }));

  const history = buildLeadHistory({ spec, tenantId, branches, listings, managerIds }, rng, now);

  await tx.insert(tenant).values(tenantRow);
  await insertInChunks(tx, branch, branchRows);
  await tx.insert(shopFacts).values({
    tenantId,
    facts: spec.facts,
    branchAddresses: Object.fromEntries(branches.map((b) => [b.id, b.spec.address])),
    createdAt: openedAt,
    updatedAt: openedAt,
  });
  await insertInChunks(tx, appUser, userRows);
  await insertInChunks(tx, userBranch, userBranchRows);
  await insertInChunks(tx, listing, listingRows);
  await insertInChunks(tx, contact, history.contacts);
  const campaigns = planCampaigns({ spec, tenantId, branches, listings, managerIds }, history, now);
  await insertInChunks(tx, campaign, campaigns.campaigns);
  await insertInChunks(tx, lead, history.leads);
  await insertInChunks(tx, leadNote, history.notes);
  await insertInChunks(tx, leadEvent, history.events);
  await insertInChunks(tx, task, planTasks(history, rng, now));
  const paperwork = planQuotesAndTickets(
    { spec, tenantId, branches, listings, managerIds },
    history,
    rng,
    now,
  );
  await insertInChunks(tx, quote, paperwork.quotes);
  await insertInChunks(tx, quoteItem, paperwork.items);
  if (paperwork.quotes.length > 0)
    await tx.insert(quoteCounter).values({ tenantId, lastNumber: paperwork.quotes.length });
  await insertInChunks(tx, ticket, paperwork.tickets);
  await insertInChunks(tx, leadEvent, paperwork.events);
  await insertInChunks(tx, campaignMetricDaily, campaigns.metrics);
  await insertInChunks(tx, campaignWin, campaigns.wins);
  await insertInChunks(tx, listingView, campaigns.views);
}

// ---------------------------------------------------------------------------------------------
// Campaigns
// ---------------------------------------------------------------------------------------------

/**
 * A few campaigns with figures that hold together: a live category campaign and an ended zone campaign carry
 * some of the shop's leads of their window (so the lead shows its campaign). Every figure has what the app
 * would have written behind it: each campaign lead's WhatsApp click carries the campaign (and some customers
 * click again later), the marketplace's views of the campaign's products are listing views, and the daily
 * figures are those rows counted by the shop's day, so the funnel per branch and product adds up to the days.
 * A reactivation campaign waits as a DRAFT. Its own generator, so the rest of the demo stays the same.
 */
function planCampaigns(world: ShopWorld, history: LeadHistory, now: number) {
  const { spec, tenantId } = world;
  const rng = mulberry32(spec.prngSeed + 811);
  // Views and repeat clicks draw from their own generator, so which leads a campaign won stays put.
  const traffic = mulberry32(spec.prngSeed + 812);
  const localDay = (ms: number) => iso(ms + spec.utcOffsetMinutes * MINUTE).slice(0, 10);
  const listingById = new Map(world.listings.map((l) => [l.id, l]));
  const gamingListings = world.listings.filter((x) => ['GAMING', 'LAPTOPS'].includes(x.item.category));
  const plans = [
    {
      name: spec.currency === 'MXN' ? 'Buen Fin gamer' : 'Cyber Wow gamer',
      type: 'CATEGORY' as const,
      status: 'ACTIVE' as const,
      from: now - 21 * DAY,
      to: now + 9 * DAY,
      matches: (l: LeadRow) => gamingListings.some((x) => x.id === l.listingId),
      promoted: gamingListings,
      share: 0.7,
      segment: { rules: [{ rule: 'INTERESTED_IN' as const, category: 'GAMING', withinDays: 90 }] },
      message: 'Laptops gamer y consolas con hasta 15% de descuento, solo por tiempo limitado.',
    },
    {
      name: `Semana de redes en ${world.branches[0]?.spec.zone ?? 'la zona'}`,
      type: 'ZONE' as const,
      status: 'ENDED' as const,
      from: now - 40 * DAY,
      to: now - 26 * DAY,
      matches: (l: LeadRow) => l.branchId === world.branches[0]?.id,
      promoted: world.listings.filter((x) => x.item.active !== false),
      share: 0.35,
      segment: { rules: [{ rule: 'ZONE' as const, zones: [world.branches[0]?.spec.zone ?? ''] }] },
      message: 'Routers y repetidores Wi-Fi con instalación gratis en tu zona.',
    },
  ];
  const clicksOf = new Map<string, LeadEventRow[]>();
  const lastActivityOf = new Map<string, number>();
  for (const e of history.events) {
    if (!e.leadId) continue;
    const at = Date.parse(e.createdAt ?? '');
    lastActivityOf.set(e.leadId, Math.max(lastActivityOf.get(e.leadId) ?? 0, at));
    if (e.type !== 'WHATSAPP_CLICK') continue;
    clicksOf.set(e.leadId, [...(clicksOf.get(e.leadId) ?? []), e]);
  }
  const campaigns: (typeof campaign.$inferInsert)[] = [];
  const metrics: (typeof campaignMetricDaily.$inferInsert)[] = [];
  const wins: (typeof campaignWin.$inferInsert)[] = [];
  const views: (typeof listingView.$inferInsert)[] = [];
  for (const plan of plans) {
    const id = newId();
    const ref = { id, name: plan.name };
    const end = Math.min(plan.to, now);
    campaigns.push({
      id,
      tenantId,
      name: plan.name,
      type: plan.type,
      status: plan.status,
      startAt: iso(plan.from),
      endAt: iso(plan.to),
      segment: plan.segment,
      messageTemplate: plan.message,
      createdAt: iso(plan.from - 2 * DAY),
      updatedAt: iso(end),
    });
    const days = new Map<string, { impressions: number; clicks: number; leads: number; wins: number }>();
    const dayOf = (ms: number) => {
      const key = localDay(ms);
      let cell = days.get(key);
      if (!cell) {
        cell = { impressions: 0, clicks: 0, leads: 0, wins: 0 };
        days.set(key, cell);
      }
      return cell;
    };
    // A marketplace visitor looks at a product of the campaign: an impression on the day it happened.
    const view = (listingId: string, at: number) => {
      if (at < plan.from || at >= end) return;
      views.push({
        tenantId,
        listingId,
        visitorId: `demo-visitor-${between(traffic, 1, 5000)}`,
        campaignId: id,
        createdAt: iso(at),
      });
      dayOf(at).impressions++;
    };
    const click = (row: LeadRow, at: number, existing?: LeadEventRow) => {
      const product = row.listingId ? listingById.get(row.listingId) : undefined;
      if (existing) existing.payload = { ...existing.payload, campaign: ref };
      else
        history.events.push({
          id: newId(),
          tenantId,
          leadId: row.id ?? '',
          type: 'WHATSAPP_CLICK',
          payload: { source: row.source, listing: product ? snapshot(product) : null, campaign: ref },
          actorUserId: null,
          createdAt: iso(at),
        });
      dayOf(at).clicks++;
      // Most clicks follow a few views of the product in the hours before.
      const seen = product ?? pick(traffic, plan.promoted);
      for (let n = between(traffic, 4, 12); n > 0; n--)
        view(seen.id, at - between(traffic, 5 * MINUTE, 30 * HOUR));
    };
    let won = 0;
    const attach = (row: LeadRow, created: number) => {
      row.campaignId = id;
      dayOf(created).leads++;
      const earlier = clicksOf.get(row.id ?? '') ?? [];
      const first = earlier[0];
      click(row, first ? Date.parse(first.createdAt ?? '') : created, first);
      // Some customers come back through the campaign before the lead goes quiet.
      const again = created + between(traffic, HOUR, 3 * DAY);
      if (traffic() < 0.4 && again < Math.min(end, lastActivityOf.get(row.id ?? '') ?? 0)) click(row, again);
      if (row.status === 'WON' && row.statusChangedAt) {
        won++;
        dayOf(Date.parse(row.statusChangedAt)).wins++;
        wins.push({ tenantId, campaignId: id, leadId: row.id ?? '', wonAt: row.statusChangedAt });
      }
    };
    const inWindow = (row: LeadRow) => {
      const created = Date.parse(row.createdAt ?? '');
      return !row.campaignId && created >= plan.from && created < end && plan.matches(row);
    };
    for (const row of history.leads) {
      if (!inWindow(row) || rng() >= plan.share) continue;
      attach(row, Date.parse(row.createdAt ?? ''));
    }
    // The draw depends on the day the demo is loaded: a campaign that drew no sale takes the first one of its
    // window, so every campaign shows the sales it brought.
    const sale = won === 0 ? history.leads.find((row) => row.status === 'WON' && inWindow(row)) : undefined;
    if (sale) attach(sale, Date.parse(sale.createdAt ?? ''));
    // Every day of the window up to today has browsing that did not end in a click.
    for (let at = plan.from; at < end; at += DAY) {
      dayOf(at);
      for (let n = between(traffic, 5, 20); n > 0; n--)
        view(pick(traffic, plan.promoted).id, at + between(traffic, 0, DAY));
    }
    for (const [day, cell] of days)
      metrics.push({ tenantId, campaignId: id, day, ...cell, updatedAt: iso(now) });
  }
  campaigns.push({
    id: newId(),
    tenantId,
    name: spec.currency === 'MXN' ? 'Te extrañamos' : 'Vuelve por tu precio',
    type: 'REACTIVATION',
    status: 'DRAFT',
    segment: { rules: [{ rule: 'LOST', reasons: ['PRICE'] }, { rule: 'CONSENT' }] },
    messageTemplate: '¡Hola {name}! El equipo que consultaste bajó de precio esta semana. ¿Te separamos uno?',
    reactivation: { frequencyCapDays: 30, quietHours: { start: '21:00', end: '09:00' } },
    createdAt: iso(now - DAY),
    updatedAt: iso(now - DAY),
  });
  return { campaigns, metrics, wins, views };
}

// ---------------------------------------------------------------------------------------------
// Quotes and tickets
// ---------------------------------------------------------------------------------------------

const TICKET_SUBJECTS = [
  { subject: 'Laptop no enciende', device: { type: 'Laptop', brand: 'Lenovo', model: 'IdeaPad 3' } },
  { subject: 'Cambio de pantalla', device: { type: 'Celular', brand: 'Samsung', model: 'Galaxy A54' } },
  { subject: 'Mantenimiento y limpieza', device: { type: 'PC', brand: 'HP', model: 'Pavilion' } },
  { subject: 'Instalación de red wifi', device: { type: 'Router', brand: 'TP-Link', model: 'Archer C6' } },
  { subject: 'Impresora no jala el papel', device: { type: 'Impresora', brand: 'Epson', model: 'L3250' } },
] as const;

/**
 * The paperwork behind the pipeline: each lead that reached QUOTED with a product got a quote of it, sent when
 * it moved (accepted when it was won, rejected when lost, expired when its week ran out), and each service
 * lead that was qualified became a ticket (resolved when won, closed when lost). Numbers follow the quotes'
 * dates with no gaps; the lead's timeline gets the same events the app writes.
 */
function planQuotesAndTickets(world: ShopWorld, history: LeadHistory, rng: Rng, now: number) {
  const listingById = new Map(world.listings.map((l) => [l.id, l]));
  const tax = taxDefaultsFor(world.spec.currency);
  const calendar = { hours: world.spec.businessHours, timeZone: world.spec.timezone };
  const stepsOf = new Map<string, { to: string; at: number; actor: string | null }[]>();
  for (const e of history.events) {
    if (e.type !== 'STATUS_CHANGED' || !e.leadId) continue;
    const to = (e.payload as { to?: string }).to ?? '';
    const steps = stepsOf.get(e.leadId) ?? [];
    steps.push({ to, at: Date.parse(e.createdAt ?? ''), actor: e.actorUserId ?? null });
    stepsOf.set(e.leadId, steps);
  }

  const quotes: (typeof quote.$inferInsert & { id: string; number: number })[] = [];
  const items: (typeof quoteItem.$inferInsert)[] = [];
  const tickets: (typeof ticket.$inferInsert)[] = [];
  // Every fifth fixed repair is late, in order: with the handful a shop has, a random draw per repair could come
  // out mostly late on some days (which leads are repairs depends on the day the demo is loaded).
  let fixes = 0;
  const lateFix = () => {
    rng(); // the draw this replaced, kept so every later draw (and the rest of the demo) stays as it was
    return fixes++ % 5 === 4;
  };
  const planned: { at: number; row: typeof leadEvent.$inferInsert; quoteIndex?: number }[] = [];
  const event = (
    row: LeadRow,
    at: number,
    type: string,
    payload: Record<string, unknown>,
    actor: string | null,
    quoteIndex?: number,
  ) =>
    planned.push({
      at,
      row: {
        tenantId: row.tenantId,
        leadId: row.id ?? '',
        type,
        payload,
        actorUserId: actor,
        createdAt: iso(at),
      },
      ...(quoteIndex === undefined ? {} : { quoteIndex }),
    });

  for (const row of history.leads) {
    const steps = stepsOf.get(row.id ?? '') ?? [];
    const outcome = steps.find((s) => s.to === 'WON' || s.to === 'LOST');
    const quoted = steps.find((s) => s.to === 'QUOTED');
    const product = row.listingId ? listingById.get(row.listingId) : undefined;
    if (quoted && product && row.id) {
      const quantity = product.item.price < 20_000 && rng() < 0.4 ? 2 : 1;
      const discount = rng() < 0.2 ? Math.round((product.item.price * quantity) / 20 / 100) * 100 : 0;
      const priced = priceQuote([{ quantity, unitPrice: product.item.price, discount }], tax);
      const line = priced.lines[0];
      const createdAt = quoted.at - between(rng, 2 * MINUTE, 20 * MINUTE);
      const validUntil = createdAt + DEFAULT_QUOTE_VALID_DAYS * DAY;
      const decided = outcome && (outcome.to === 'WON' || row.lostReason === 'PRICE' || rng() < 0.5);
      const status = decided
        ? outcome.to === 'WON'
          ? 'ACCEPTED'
          : 'REJECTED'
        : validUntil < now
          ? 'EXPIRED'
          : 'SENT';
      const id = newId();
      const updatedAt = decided ? outcome.at : status === 'EXPIRED' ? validUntil : quoted.at;
      quotes.push({
        id,
        number: 0,
        tenantId: row.tenantId,
        branchId: row.branchId,
        leadId: row.id,
        contactId: row.contactId,
        status,
        currency: product.currency,
        taxName: tax.taxName,
        taxRateBps: tax.taxRateBps,
        pricesIncludeTax: tax.pricesIncludeTax,
        subtotal: priced.subtotal,
        discount: priced.discount,
        tax: priced.tax,
        total: priced.total,
        validUntil: iso(validUntil),
        createdByUserId: quoted.actor,
        sentAt: iso(quoted.at),
        decidedAt: decided ? iso(outcome.at) : null,
        rejectionReason: status === 'REJECTED' ? (row.lostReason ?? 'OTHER') : null,
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
        version: decided ? 3 : 2,
      });
      if (line) {
        items.push({
          tenantId: row.tenantId,
          quoteId: id,
          position: 1,
          listingId: product.id,
          title: product.item.title,
          sku: product.item.sku ?? null,
          quantity,
          unitPrice: line.unitPrice,
          discount: line.discount,
          subtotal: line.subtotal,
          tax: line.tax,
          total: line.total,
          stockAtQuote: product.item.stock,
        });
      }
      const quoteIndex = quotes.length - 1;
      const money = { total: priced.total, currency: product.currency };
      event(row, createdAt, 'QUOTE_CREATED', { quoteId: id, ...money }, quoted.actor, quoteIndex);
      event(
        row,
        quoted.at - 1000,
        'QUOTE_SENT',
        { quoteId: id, ...money, resent: false },
        quoted.actor,
        quoteIndex,
      );
      if (decided) {
        const type = status === 'ACCEPTED' ? 'QUOTE_ACCEPTED' : 'QUOTE_REJECTED';
        const payload =
          status === 'REJECTED' ? { quoteId: id, lostReason: row.lostReason ?? 'OTHER' } : { quoteId: id };
        event(row, outcome.at - 1000, type, payload, outcome.actor, quoteIndex);
      }
    }

    const qualified = steps.find((s) => s.to === 'QUALIFIED');
    if (row.leadType === 'SERVICE' && qualified && row.id) {
      const id = newId();
      const spec = TICKET_SUBJECTS[Math.floor(rng() * TICKET_SUBJECTS.length)] ?? TICKET_SUBJECTS[0];
      const createdAt = qualified.at - 1000;
      const priority = row.priority ?? 'MEDIUM';
      const slaHours = defaultSlaHours[priority];
      const slaDueAt = addBusinessTime(calendar, new Date(createdAt), slaHours * 60) ?? new Date(createdAt);
      // A shop works its repairs: a won lead's and older ones were fixed (mostly within the SLA), a quiet
      // customer's closed; only the last days' are still on the bench.
      const dormant = row.status === 'DORMANT' ? steps.findLast((s) => s.to === 'DORMANT') : undefined;
      const fixedAt =
        outcome?.to === 'WON' || (!outcome && !dormant && now - createdAt > 4 * DAY)
          ? Math.min(
              now - HOUR,
              lateFix()
                ? slaDueAt.getTime() + between(rng, HOUR, 2 * DAY)
                : slaDueAt.getTime() - between(rng, 10 * MINUTE, slaHours * 30 * MINUTE),
            )
          : null;
      const done = outcome?.at ?? dormant?.at ?? fixedAt;
      const resolvedAt = fixedAt === null ? null : Math.max(fixedAt, createdAt + MINUTE);
      const status =
        outcome?.to === 'WON'
          ? now - outcome.at > 3 * DAY
            ? 'CLOSED'
            : 'RESOLVED'
          : outcome?.to === 'LOST' || dormant
            ? 'CLOSED'
            : resolvedAt !== null
              ? 'RESOLVED'
              : weighted(rng, [
                  ['OPEN', 2],
                  ['IN_PROGRESS', 3],
                  ['WAITING_CUSTOMER', 1],
                ] as const);
      tickets.push({
        id,
        tenantId: row.tenantId,
        branchId: row.branchId,
        leadId: row.id,
        contactId: row.contactId,
        subject: spec.subject,
        device: { ...spec.device },
        status,
        priority,
        slaHours,
        slaDueAt: slaDueAt.toISOString(),
        assignedToUserId: row.assignedToUserId ?? null,
        createdByUserId: qualified.actor,
        resolvedAt: resolvedAt === null ? null : iso(resolvedAt),
        closedAt:
          status === 'CLOSED' && done
            ? iso(outcome?.to === 'WON' ? Math.max(done, resolvedAt ?? done) + DAY : done)
            : null,
        createdAt: iso(createdAt),
        updatedAt: iso(done ?? createdAt),
        version: status === 'OPEN' ? 1 : 2,
      });
      event(
        row,
        createdAt,
        'TICKET_CREATED',
        { ticketId: id, subject: spec.subject, priority, slaDueAt: slaDueAt.toISOString() },
        qualified.actor,
      );
    }
  }

  // Numbered in the order the shop issued them, as the counter would have.
  const order = quotes
    .map((q, index) => ({ index, at: Date.parse(q.createdAt ?? '') }))
    .sort((a, b) => a.at - b.at);
  order.forEach(({ index }, position) => {
    const q = quotes[index];
    if (q) q.number = position + 1;
  });
  for (const p of planned) {
    if (p.quoteIndex !== undefined)
      (p.row.payload as Record<string, unknown>).number = quotes[p.quoteIndex]?.number;
  }
  planned.sort((a, b) => a.at - b.at);
  const events = planned.map((p) => ({ ...p.row, id: newId() }));
  return { quotes, items, tickets, events };
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

const TASK_TITLES = [
  'Seguir la cotización',
  'Llamar para confirmar stock',
  'Enviar promo',
  'Confirmar visita a la tienda',
] as const;

/**
 * The reminders sellers set themselves over the last month: most were done on time, some late, a few are
 * overdue on leads still open, and some are still ahead, so the follow-up compliance and the Tasks screen
 * show a shop at work. The engine adds its own alerts from the first minute the app runs.
 */
function planTasks(history: LeadHistory, rng: Rng, now: number): (typeof task.$inferInsert)[] {
  const tasks: (typeof task.$inferInsert)[] = [];
  for (const row of history.leads) {
    const createdAt = Date.parse(row.createdAt ?? '');
    if (!row.id || !row.assignedToUserId || now - createdAt > 30 * DAY || rng() > 0.45) continue;
    const dueAt = createdAt + (4 + Math.floor(rng() * 44)) * HOUR;
    const closed = row.status === 'WON' || row.status === 'LOST' || row.status === 'DORMANT';
    // A closed lead's reminders were dealt with, also those that were not due yet.
    const done = closed || (dueAt <= now && rng() < 0.85);
    const onTime = rng() < 0.8;
    const completedAt = !done
      ? null
      : Math.min(
          now - MINUTE,
          onTime
            ? Math.max(createdAt + 30 * MINUTE, dueAt - Math.floor(rng() * 3 * HOUR))
            : dueAt + (1 + Math.floor(rng() * 20)) * HOUR,
        );
    const title = TASK_TITLES[Math.floor(rng() * TASK_TITLES.length)] ?? TASK_TITLES[0];
    tasks.push({
      tenantId: row.tenantId,
      leadId: row.id,
      branchId: row.branchId,
      assigneeUserId: row.assignedToUserId,
      createdByUserId: row.assignedToUserId,
      kind: rng() < 0.8 ? 'FOLLOW_UP' : 'REMINDER',
      title,
      dueAt: iso(dueAt),
      status: done ? 'DONE' : 'OPEN',
      completedAt: completedAt === null ? null : iso(completedAt),
      // Past-due ones were announced when they came due; the app announces the rest as they do.
      remindedAt: dueAt <= now ? iso(dueAt) : null,
      createdAt: iso(createdAt),
      updatedAt: iso(completedAt ?? createdAt),
      version: done ? 2 : 1,
    });
  }
  return tasks;
}

async function insertInChunks<T extends PgTable>(tx: Tx, table: T, rows: PgInsertValue<T>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await tx.insert(table).values(rows.slice(start, start + INSERT_CHUNK));
  }
}

// ---------------------------------------------------------------------------------------------
// Leads and their history
// ---------------------------------------------------------------------------------------------

interface LeadHistory {
  contacts: SeedContact[];
  leads: LeadRow[];
  events: LeadEventRow[];
  notes: LeadNoteRow[];
}

type SeedContact = ContactRow & { id: string; marketplaceUserId: string | null };

interface PlannedEvent {
  at: number;
  type: string;
  payload: Record<string, unknown>;
  actorUserId: string | null;
}

interface Step {
  from: LeadStatus;
  to: LeadStatus;
  at: number;
  /** null for the follow-up engine's automatic moves (DORMANT). */
  actorUserId: string | null;
}

interface KnownContact {
  row: SeedContact;
  /** Set while the contact's latest lead is closed: from then on they may come back with a new one. */
  canReturnAfter: number | null;
}

const saleSources: ReadonlyArray<readonly [LeadSource, number]> = [
  ['WHATSAPP', 30],
  ['LISTING', 28],
  ['FEED', 12],
  ['MANUAL', 11],
  ['MAP', 10],
  ['CAMPAIGN', 9],
];
const serviceSources: ReadonlyArray<readonly [LeadSource, number]> = [
  ['WHATSAPP', 50],
  ['MAP', 30],
  ['MANUAL', 20],
];
const lostReasonWeights: ReadonlyArray<readonly [LostReason, number]> = [
  ['PRICE', 35],
  ['NO_RESPONSE', 30],
  ['COMPETITOR', 15],
  ['STOCK', 12],
  ['OTHER', 8],
];
const categoryDemand: Readonly<Record<string, number>> = {
  PHONES: 3,
  LAPTOPS: 3,
  GAMING: 2,
  COMPONENTS: 2,
  NETWORKING: 1,
  ACCESSORIES: 1,
  PRINTERS: 1,
  OTHER: 2,
};

function buildLeadHistory(world: ShopWorld, rng: Rng, now: number): LeadHistory {
  const { spec, tenantId } = world;
  const history: LeadHistory = { contacts: [], leads: [], events: [], notes: [] };
  const usedPhones = new Set<string>();
  const usedMarketplaceIds = new Set<string>();
  const knownContacts: KnownContact[] = [];

  // Leads are made oldest first, so a returning customer's earlier lead is already written.
  const createdTimes = Array.from({ length: spec.leadCount }, () => sampleCreatedAt(rng, spec, now)).sort(
    (a, b) => a - b,
  );

  for (const createdAt of createdTimes) {
    const leadId = newId();
    const home = weighted(
      rng,
      world.branches.map((b) => [b, b.spec.leadShare] as const),
    );
    let leadType: LeadType | null = rng() < 0.15 ? 'SERVICE' : 'SALE';
    const source = weighted(rng, leadType === 'SERVICE' ? serviceSources : saleSources);
    const isManual = source === 'MANUAL';
    const product = leadType === 'SALE' ? pickListing(rng, world, home.id, source, now - createdAt) : null;

    let status = weighted(rng, statusWeights(now - createdAt));
    // A few customers write with nothing for the seller to classify yet.
    if (leadType === 'SALE' && !product && source === 'MAP' && status === 'NEW' && rng() < 0.6)
      leadType = null;

    // Auto-assignment picks a seller of the branch; a few fresh leads still wait in the shared queue.
    // A manual lead is typed in by the seller who serves the customer.
    const waiting = status === 'NEW' && !isManual && rng() < 0.25;
    const assigneeId = waiting || home.sellerIds.length === 0 ? null : pick(rng, home.sellerIds);
    if (assigneeId === null) status = 'NEW';

    const known = pickReturningContact(rng, knownContacts, createdAt);
    const contactRow =
      known?.row ?? newContact(rng, world, source, createdAt, now, usedPhones, usedMarketplaceIds);
    if (known) {
      known.row.updatedAt = iso(createdAt);
    } else {
      history.contacts.push(contactRow);
      knownContacts.push({ row: contactRow, canReturnAfter: null });
    }

    const lostReason: LostReason | null =
      status === 'LOST'
        ? product?.item.stock === 0 && rng() < 0.6
          ? 'STOCK'
          : weighted(rng, lostReasonWeights)
        : null;
    const steps = assigneeId
      ? scheduleSteps(rng, spec, planPath(rng, status), createdAt, now, assigneeId, isManual)
      : [];
    const finalStatus = steps.at(-1)?.to ?? 'NEW';

    const events: PlannedEvent[] = [];
    const event = (
      at: number,
      type: string,
      payload: Record<string, unknown>,
      actorUserId: string | null,
    ) => {
      events.push({ at, type, payload, actorUserId });
    };

    // Arrival: the marketplace (or the seller, for a walk-in) creates the lead, and it is assigned.
    event(
      createdAt,
      'CREATED',
      product ? { source, listingId: product.id } : { source },
      isManual ? assigneeId : null,
    );
    if (source === 'WHATSAPP')
      event(createdAt, 'WHATSAPP_CLICK', { listing: product ? snapshot(product) : null }, null);

    // Now and then a manager hands the lead to the branch's other seller before anyone answered.
    const reassignment = planReassignment(
      rng,
      world,
      home,
      assigneeId,
      isManual,
      createdAt,
      steps[0]?.at ?? now,
    );
    const firstAssigneeId = reassignment?.fromUserId ?? assigneeId;
    if (firstAssigneeId !== null) {
      const at = isManual ? createdAt : createdAt + between(rng, 800, 4000);
      event(
        at,
        'ASSIGNED',
        { fromUserId: null, toUserId: firstAssigneeId },
        isManual ? firstAssigneeId : null,
      );
    }
    if (reassignment && assigneeId !== null) {
      event(
        reassignment.at,
        'ASSIGNED',
        { fromUserId: reassignment.fromUserId, toUserId: assigneeId },
        reassignment.managerId,
      );
    }

    const opener = openingMessage(rng, spec.conversation, source, leadType, product, home);
    if (opener) {
      const at = opener.channel === 'WHATSAPP' ? createdAt + between(rng, 20_000, 2 * MINUTE) : createdAt;
      event(at, 'MESSAGE_RECEIVED', { channel: opener.channel, text: opener.body }, null);
    }

    // The pipeline, and the customer writing again just before many of the seller's later moves.
    steps.forEach((step, index) => {
      const payload: Record<string, unknown> = { from: step.from, to: step.to };
      if (step.to === 'LOST' && lostReason) payload.lostReason = lostReason;
      event(step.at, 'STATUS_CHANGED', payload, step.actorUserId);

      const previous = steps[index - 1];
      if (!previous || step.actorUserId === null || rng() >= 0.45) return;
      if (step.to === 'LOST' && lostReason === 'NO_RESPONSE') return;
      const body = followUpMessage(rng, spec.conversation, step.to, leadType);
      const at = step.at - between(rng, 3 * MINUTE, 60 * MINUTE);
      if (body && at > previous.at + MINUTE)
        event(at, 'MESSAGE_RECEIVED', { channel: 'WHATSAPP', text: body }, null);
    });

    // Internal notes on about a third of the leads.
    if (assigneeId !== null && (steps.length > 0 || rng() < 0.2) && rng() < 0.4) {
      const count = rng() < 0.25 ? 2 : 1;
      for (let i = 0; i < count; i++) {
        const note = planNote(rng, spec, steps, createdAt, now, finalStatus, lostReason, leadType);
        if (!note) continue;
        const noteId = newId();
        const authorUserId =
          world.managerIds.length > 0 && rng() < 0.1 ? pick(rng, world.managerIds) : assigneeId;
        history.notes.push({
          id: noteId,
          tenantId,
          leadId,
          authorUserId,
          text: note.text,
          createdAt: iso(note.at),
        });
        event(note.at, 'NOTE_ADDED', { noteId, text: note.text }, authorUserId);
      }
    }

    // Oldest first; events at the same instant keep their causal order (the sort is stable), and
    // their ids are drawn in that order, so (created_at, id) sorts the history the same way.
    events.sort((a, b) => a.at - b.at);
    for (const e of events) {
      history.events.push({
        id: newId(),
        tenantId,
        leadId,
        type: e.type,
        payload: e.payload,
        actorUserId: e.actorUserId,
        createdAt: iso(e.at),
      });
    }

    const firstStep = steps[0];
    const lastStep = steps.at(-1);
    const lastActivityAt = Math.max(...events.map((e) => e.at));
    history.leads.push({
      id: leadId,
      tenantId,
      branchId: home.id,
      customerUserId: isManual ? null : contactRow.marketplaceUserId,
      contactId: contactRow.id,
      status: finalStatus,
      source,
      campaignId: null,
      listingId: product?.id ?? null,
      priority: pickPriority(rng, leadType, product),
      leadType,
      assignedToUserId: assigneeId,
      lostReason: finalStatus === 'LOST' ? lostReason : null,
      firstResponseAt: firstStep ? iso(firstStep.at) : null,
      statusChangedAt: iso(lastStep?.at ?? createdAt),
      lastActivityAt: iso(lastActivityAt),
      createdAt: iso(createdAt),
      updatedAt: iso(lastActivityAt),
      version: 1 + steps.length + (reassignment ? 1 : 0),
    });

    const entry = known ?? knownContacts.at(-1);
    if (entry) {
      const closed = finalStatus === 'WON' || finalStatus === 'LOST';
      entry.canReturnAfter = closed ? lastActivityAt + 3 * DAY : null;
    }
  }
  return history;
}

/** A customer whose last lead closed a few days ago comes back now and then. */
function pickReturningContact(rng: Rng, known: KnownContact[], createdAt: number): KnownContact | null {
  if (rng() >= 0.07) return null;
  const returning = known.filter((c) => c.canReturnAfter !== null && c.canReturnAfter < createdAt);
  return returning.length > 0 ? pick(rng, returning) : null;
}

function planReassignment(
  rng: Rng,
  world: ShopWorld,
  home: SeededBranch,
  assigneeId: string | null,
  isManual: boolean,
  createdAt: number,
  firstResponseAt: number,
): { at: number; fromUserId: string; managerId: string } | null {
  if (assigneeId === null || isManual || world.managerIds.length === 0 || rng() >= 0.05) return null;
  const others = home.sellerIds.filter((id) => id !== assigneeId);
  const latest = Math.min(createdAt + 40 * MINUTE, firstResponseAt - MINUTE);
  if (others.length === 0 || latest <= createdAt + 5 * MINUTE) return null;
  return {
    at: between(rng, createdAt + 5 * MINUTE, latest),
    fromUserId: pick(rng, others),
    managerId: pick(rng, world.managerIds),
  };
}

/** More fresh leads than old ones: a shop's inbox fills up faster than it empties. */
function sampleCreatedAt(rng: Rng, spec: ShopSpec, now: number): number {
  for (;;) {
    const daysBack = Math.floor(spec.historyDays * rng() ** 2);
    // Customers write between 07:30 and 23:00, any day of the week.
    const minuteOfDay = 450 + Math.floor(rng() * (23 * 60 - 450));
    const at = startOfLocalDay(now, spec.utcOffsetMinutes) - daysBack * DAY + minuteOfDay * MINUTE;
    const jittered = at + Math.floor(rng() * MINUTE);
    if (jittered <= now - 2 * MINUTE) return jittered;
  }
}

/** Recent leads are still open; old ones are mostly closed or gone dormant. */
function statusWeights(age: number): ReadonlyArray<readonly [LeadStatus, number]> {
  if (age < 6 * HOUR) {
    return [
      ['NEW', 75],
      ['CONTACTED', 25],
    ];
  }
  if (age < 3 * DAY) {
    return [
      ['NEW', 50],
      ['CONTACTED', 26],
      ['QUALIFIED', 10],
      ['QUOTED', 8],
      ['WON', 4],
      ['LOST', 2],
    ];
  }
  if (age < 14 * DAY) {
    return [
      ['NEW', age < 7 * DAY ? 15 : 0],
      ['CONTACTED', 20],
      ['QUALIFIED', 18],
      ['QUOTED', 20],
      ['WON', 18],
      ['LOST', 12],
      ['DORMANT', age >= 10 * DAY ? 6 : 0],
    ];
  }
  if (age < 45 * DAY) {
    return [
      ['CONTACTED', 6],
      ['QUALIFIED', 8],
      ['QUOTED', 10],
      ['WON', 32],
      ['LOST', 22],
      ['DORMANT', 21],
    ];
  }
  return [
    ['CONTACTED', 2],
    ['QUALIFIED', 2],
    ['QUOTED', 3],
    ['WON', 36],
    ['LOST', 27],
    ['DORMANT', 30],
  ];
}

type StatusPath = readonly LeadStatus[];
/** How far a lead got before it was lost or went quiet. */
const openStagesBeforeClosing: ReadonlyArray<readonly [StatusPath, number]> = [
  [['CONTACTED'], 35],
  [['CONTACTED', 'QUALIFIED'], 25],
  [['CONTACTED', 'QUOTED'], 10],
  [['CONTACTED', 'QUALIFIED', 'QUOTED'], 30],
];
const pathsToWon: ReadonlyArray<readonly [StatusPath, number]> = [
  // A walk-in: contacted and sold in the same visit.
  [['CONTACTED', 'WON'], 20],
  [['CONTACTED', 'QUOTED', 'WON'], 20],
  [['CONTACTED', 'QUALIFIED', 'QUOTED', 'WON'], 60],
];

/** The statuses a lead passes through to reach `status`, NEW excluded. */
function planPath(rng: Rng, status: LeadStatus): LeadStatus[] {
  const openPrefix = () => weighted(rng, openStagesBeforeClosing);
  switch (status) {
    case 'NEW':
      return [];
    case 'CONTACTED':
      return ['CONTACTED'];
    case 'QUALIFIED':
      return ['CONTACTED', 'QUALIFIED'];
    case 'QUOTED':
      return rng() < 0.25 ? ['CONTACTED', 'QUOTED'] : ['CONTACTED', 'QUALIFIED', 'QUOTED'];
    case 'WON':
      return [...weighted(rng, pathsToWon)];
    case 'LOST':
      return [...openPrefix(), 'LOST'];
    case 'DORMANT':
      return [...openPrefix(), 'DORMANT'];
  }
}

/**
 * Times the moves along `path`. Sellers act within business hours; the raw gaps are squeezed
 * to fit the lead's age, except the idle week before DORMANT, which is the follow-up policy.
 * A move that would still lie in the future is dropped with everything after it.
 */
function scheduleSteps(
  rng: Rng,
  spec: ShopSpec,
  path: LeadStatus[],
  createdAt: number,
  now: number,
  sellerId: string,
  isManual: boolean,
): Step[] {
  const gaps = path.map((to, index) => gapBefore(rng, to, path[index - 1] ?? 'NEW', isManual));
  const squeezable = gaps.reduce((sum, gap, index) => (path[index] === 'DORMANT' ? sum : sum + gap), 0);
  const reserved = gaps.reduce((sum, gap, index) => (path[index] === 'DORMANT' ? sum + gap : sum), 0);
  const room = now - createdAt - reserved - 10 * MINUTE;
  const factor = squeezable > room ? Math.max(room, 0) / squeezable : 1;

  const steps: Step[] = [];
  let at = createdAt;
  let from: LeadStatus = 'NEW';
  for (const [index, to] of path.entries()) {
    const gap = gaps[index] ?? 0;
    const bySystem = to === 'DORMANT';
    at = bySystem ? at + gap : nextOpenMoment(rng, spec, at + Math.max(gap * factor, MINUTE));
    if (at > now - MINUTE) break;
    steps.push({ from, to, at, actorUserId: bySystem ? null : sellerId });
    from = to;
  }
  return steps;
}

function gapBefore(rng: Rng, to: LeadStatus, from: LeadStatus, isManual: boolean): number {
  switch (to) {
    case 'CONTACTED': {
      if (isManual) return between(rng, 0, 5 * MINUTE);
      const r = rng();
      if (r < 0.55) return between(rng, 3 * MINUTE, 30 * MINUTE);
      if (r < 0.85) return between(rng, 30 * MINUTE, 2 * HOUR);
      return between(rng, 2 * HOUR, 6 * HOUR);
    }
    case 'QUALIFIED':
      return between(rng, 30 * MINUTE, 36 * HOUR);
    case 'QUOTED':
      return between(rng, HOUR, 3 * DAY);
    case 'WON':
      return from === 'CONTACTED' ? between(rng, 10 * MINUTE, 50 * MINUTE) : between(rng, 4 * HOUR, 6 * DAY);
    case 'LOST':
      return between(rng, DAY, 10 * DAY);
    case 'DORMANT':
      return between(rng, 7 * DAY, 15 * DAY);
    case 'NEW':
      return 0;
  }
}

/** The first moment at or after `at` when the shop is open, a few minutes in when it had to wait. */
function nextOpenMoment(rng: Rng, spec: ShopSpec, at: number): number {
  const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
  const offset = spec.utcOffsetMinutes;
  for (let day = 0; day < 8; day++) {
    const dayStart = startOfLocalDay(at, offset) + day * DAY;
    const weekday = weekdays[new Date(dayStart + offset * MINUTE).getUTCDay()];
    const intervals = weekday ? (spec.businessHours[weekday] ?? []) : [];
    for (const { open, close } of intervals) {
      const opensAt = dayStart + clockMinutes(open) * MINUTE;
      const closesAt = dayStart + clockMinutes(close) * MINUTE;
      if (at < opensAt) return opensAt + between(rng, 0, Math.min(40 * MINUTE, closesAt - opensAt));
      if (at < closesAt) return at;
    }
  }
  return at;
}

function planNote(
  rng: Rng,
  spec: ShopSpec,
  steps: Step[],
  createdAt: number,
  now: number,
  finalStatus: LeadStatus,
  lostReason: LostReason | null,
  leadType: LeadType | null,
): { at: number; text: string } | null {
  const sellerSteps = steps.filter((s) => s.actorUserId !== null);
  const anchor = sellerSteps.length > 0 ? pick(rng, sellerSteps) : null;
  const anchorAt = anchor?.at ?? createdAt;
  // Strictly between the anchor and the next move, so a note never reopens a dormant lead.
  const next = steps.find((s) => s.at > anchorAt);
  const limit = Math.min(next ? next.at - MINUTE : now - MINUTE, anchorAt + 2 * HOUR);
  if (limit <= anchorAt + MINUTE) return null;
  const at = between(rng, anchorAt + MINUTE, limit);

  const notes = spec.conversation.notes;
  let pool: readonly string[];
  if (anchor?.to === 'LOST' && lostReason) pool = notes.lost[lostReason];
  else if (anchor?.to === 'WON' && finalStatus === 'WON' && leadType !== 'SERVICE') pool = notes.won;
  else if (leadType === 'SERVICE') pool = notes.service;
  else pool = notes.sale;
  return { at, text: pick(rng, pool).replace('{taxId}', spec.taxId(rng)) };
}

function openingMessage(
  rng: Rng,
  conversation: Conversation,
  source: LeadSource,
  leadType: LeadType | null,
  product: SeededListing | null,
  home: SeededBranch,
): { channel: 'WHATSAPP' | 'MARKETPLACE'; body: string } | null {
  const chance: Record<LeadSource, number> = {
    WHATSAPP: 1,
    MAP: 0.8,
    LISTING: 0.7,
    FEED: 0.4,
    CAMPAIGN: 0.4,
    MANUAL: 0,
  };
  if (rng() >= chance[source]) return null;
  const channel = source === 'WHATSAPP' || source === 'MAP' ? 'WHATSAPP' : 'MARKETPLACE';
  if (leadType === 'SERVICE') return { channel, body: pick(rng, conversation.serviceOpeners) };
  if (!product) return { channel, body: pick(rng, conversation.generalOpeners) };
  const opener = pick(rng, conversation.saleOpeners);
  return { channel, body: opener(product.item.ref, pick(rng, home.spec.deliveryPlaces)) };
}

function followUpMessage(
  rng: Rng,
  conversation: Conversation,
  to: LeadStatus,
  leadType: LeadType | null,
): string | null {
  if (leadType === 'SERVICE' && (to === 'QUALIFIED' || to === 'QUOTED' || to === 'WON')) {
    return pick(rng, conversation.serviceReplies[to]);
  }
  if (to === 'QUALIFIED' || to === 'QUOTED' || to === 'WON' || to === 'LOST') {
    return pick(rng, conversation.replies[to]);
  }
  return null;
}

function pickListing(
  rng: Rng,
  world: ShopWorld,
  branchId: string,
  source: LeadSource,
  age: number,
): SeededListing | null {
  const withProduct: Record<LeadSource, number> = {
    LISTING: 1,
    FEED: 1,
    CAMPAIGN: 1,
    WHATSAPP: 0.85,
    MANUAL: 0.5,
    MAP: 0,
  };
  if (rng() >= withProduct[source]) return null;
  // A listing taken down since still shows on the old leads that asked for it.
  const available = world.listings.filter(
    (l) => (l.branchId === null || l.branchId === branchId) && (l.item.active !== false || age > 30 * DAY),
  );
  if (available.length === 0) return null;
  return weighted(
    rng,
    available.map((l) => [l, categoryDemand[l.item.category] ?? 1] as const),
  );
}

function pickPriority(rng: Rng, leadType: LeadType | null, product: SeededListing | null): LeadPriority {
  if (leadType === 'SERVICE') {
    return weighted(rng, [
      ['HIGH', 30],
      ['MEDIUM', 55],
      ['LOW', 15],
    ] as const);
  }
  if (!product) {
    return weighted(rng, [
      ['HIGH', 15],
      ['MEDIUM', 60],
      ['LOW', 25],
    ] as const);
  }
  // Big tickets first; a S/ 79.90 mouse can wait.
  const major = product.item.price / 100;
  const expensive = product.currency === 'MXN' ? major >= 8000 : major >= 2500;
  const cheap = product.currency === 'MXN' ? major < 1500 : major < 200;
  if (expensive) {
    return weighted(rng, [
      ['HIGH', 55],
      ['MEDIUM', 40],
      ['LOW', 5],
    ] as const);
  }
  if (cheap) {
    return weighted(rng, [
      ['HIGH', 5],
      ['MEDIUM', 35],
      ['LOW', 60],
    ] as const);
  }
  return weighted(rng, [
    ['HIGH', 25],
    ['MEDIUM', 55],
    ['LOW', 20],
  ] as const);
}

/** The listing as the customer saw it when they clicked. */
const snapshot = ({ id, currency, item }: SeededListing) => ({
  id,
  title: item.title,
  price: item.price,
  currency,
  stock: item.stock,
});

type Identity = 'user' | 'visitor' | 'none';
/** Who the marketplace knows: a logged-in user, an anonymous visitor, or nobody (WhatsApp, walk-ins). */
const whatsappIdentities: ReadonlyArray<readonly [Identity, number]> = [
  ['user', 30],
  ['visitor', 50],
  ['none', 20],
];
const marketplaceIdentities: ReadonlyArray<readonly [Identity, number]> = [
  ['user', 55],
  ['visitor', 45],
];

function newContact(
  rng: Rng,
  world: ShopWorld,
  source: LeadSource,
  createdAt: number,
  now: number,
  usedPhones: Set<string>,
  usedMarketplaceIds: Set<string>,
): SeedContact {
  const { spec, tenantId } = world;
  const first = pick(rng, spec.names.first);
  const last = pick(rng, spec.names.last);
  const secondLast = pick(rng, spec.names.last);
  // WhatsApp profile names are often just a first name; forms ask for the full name.
  const name =
    source === 'WHATSAPP' && rng() < 0.2
      ? first
      : rng() < 0.35
        ? `${first} ${last} ${secondLast}`
        : `${first} ${last}`;

  let phone: string | null = null;
  for (let attempt = 0; attempt < 50 && phone === null; attempt++) {
    const candidate = e164OrNull(spec.mobileCandidate(rng), spec.countryCode);
    if (candidate && !usedPhones.has(candidate)) phone = candidate;
  }
  if (phone === null) throw new Error(`demo seed: could not draw a unique phone for ${spec.slug}`);
  usedPhones.add(phone);

  const identity =
    source === 'MANUAL'
      ? 'none'
      : weighted(rng, source === 'WHATSAPP' ? whatsappIdentities : marketplaceIdentities);
  let marketplaceUserId: string | null = null;
  while (identity === 'user' && marketplaceUserId === null) {
    const candidate = `mp_${digits(rng, 7)}`;
    if (!usedMarketplaceIds.has(candidate)) marketplaceUserId = candidate;
  }
  if (marketplaceUserId) usedMarketplaceIds.add(marketplaceUserId);
  const visitorId = identity === 'none' ? null : `vis_${base36(rng, 16)}`;

  const email =
    identity === 'user' || rng() < 0.2
      ? `${mailbox(first)}.${mailbox(last)}${rng() < 0.5 ? Math.floor(rng() * 99) + 1 : ''}@${pick(rng, spec.names.mailDomains)}`
      : null;

  const consent = identity === 'user' ? rng() < 0.45 : rng() < 0.15;
  const consentSource =
    identity === 'user' ? 'MARKETPLACE_SIGNUP' : source === 'WHATSAPP' ? 'WHATSAPP' : 'MARKETPLACE_FORM';
  const optedOut = consent && rng() < 0.06;
  const createdIso = iso(createdAt);
  return {
    id: newId(),
    tenantId,
    marketplaceUserId,
    visitorId,
    name,
    phone,
    email,
    marketingConsent: consent && !optedOut,
    consentAt: consent ? createdIso : null,
    consentSource: consent ? consentSource : null,
    optedOutAt: optedOut ? iso(between(rng, createdAt, now - MINUTE)) : null,
    createdAt: createdIso,
    updatedAt: createdIso,
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

type Rng = () => number;

/** mulberry32: a tiny seeded PRNG, plenty for demo data. */
function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('demo seed: pick from an empty list');
  return item;
}

function weighted<T>(rng: Rng, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng() * total;
  for (const [value, weight] of options) {
    if (roll < weight) return value;
    roll -= weight;
  }
  const last = options.at(-1);
  if (!last) throw new Error('demo seed: weighted pick from an empty list');
  return last[0];
}

const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min));
const digits = (rng: Rng, count: number) =>
  Array.from({ length: count }, () => Math.floor(rng() * 10)).join('');
const letters = (rng: Rng, count: number) =>
  Array.from({ length: count }, () => String.fromCharCode(65 + Math.floor(rng() * 26))).join('');
const base36 = (rng: Rng, count: number) =>
  Array.from({ length: count }, () => Math.floor(rng() * 36).toString(36)).join('');
/** "José Luis" -> "joseluis": e-mail local parts without accents or spaces. */
const mailbox = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

const iso = (ms: number) => new Date(ms).toISOString();
const clockMinutes = (clock: string) => {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
};
const startOfLocalDay = (ms: number, offsetMinutes: number) => {
  const local = ms + offsetMinutes * MINUTE;
  return local - (((local % DAY) + DAY) % DAY) - offsetMinutes * MINUTE;
};

function e164OrNull(input: string, country: string): string | null {
  return normalizePhone(input, country)?.e164 ?? null;
}

function e164(input: string, country: string): string {
  const phone = e164OrNull(input, country);
  if (!phone) throw new Error(`demo seed: invalid phone ${input}`);
  return phone;
}
