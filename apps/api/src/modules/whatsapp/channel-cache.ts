/**
 * The webhook's routing table, kept a few seconds in this process: phone number id → the channel with its app
 * secret already opened, so a burst of deliveries from one number costs no look-up and no decryption per call.
 * Only channels found are kept (an unknown number is looked up each time, as before). A change to a channel drops
 * every entry at once, here and, through the broadcast, in the other instances (`clear`); a look-up that was in
 * flight when that happened answers its caller but is not kept, so nothing older than the change is cached.
 */

export interface WebhookChannel {
  channelId: string;
  tenantId: string;
  branchId: string;
  phoneNumberId: string;
  appSecret: string;
}

/** Past this many numbers the table starts over: it never grows without bound. */
const MAX_ENTRIES = 10_000;

export function createChannelCache(deps: {
  ttlMs: number;
  now(): number;
  /** The channels these numbers name, secrets opened (those that do not open are left out). */
  load(phoneNumberIds: string[]): Promise<WebhookChannel[]>;
}) {
  const entries = new Map<string, { channel: WebhookChannel; until: number }>();
  let generation = 0;

  return {
    /**
     * The channels the numbers name: from the table while fresh, else looked up (`fresh` skips the table);
     * `cached` says whether any came from the table.
     */
    async get(
      phoneNumberIds: string[],
      options: { fresh?: boolean } = {},
    ): Promise<{ channels: WebhookChannel[]; cached: boolean }> {
      const now = deps.now();
      const found: WebhookChannel[] = [];
      const missing: string[] = [];
      for (const id of phoneNumberIds) {
        const entry = options.fresh ? undefined : entries.get(id);
        if (entry && entry.until > now) found.push(entry.channel);
        else missing.push(id);
      }
      if (missing.length === 0) return { channels: found, cached: true };
      const seen = generation;
      const loaded = await deps.load(missing);
      if (seen === generation) {
        if (entries.size + loaded.length > MAX_ENTRIES) entries.clear();
        for (const channel of loaded)
          entries.set(channel.phoneNumberId, { channel, until: now + deps.ttlMs });
      }
      return { channels: [...found, ...loaded], cached: found.length > 0 };
    },
    /** A channel changed: nothing cached before now is used again. */
    clear() {
      generation++;
      entries.clear();
    },
  };
}

export type ChannelCache = ReturnType<typeof createChannelCache>;

/** The broadcast channel on which a changed channel tells every instance to drop its table. */
export const CHANNELS_CHANGED = 'whatsapp.channels-changed';
