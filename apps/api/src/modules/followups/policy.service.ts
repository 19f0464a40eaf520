import type { FollowupPolicy, patchFollowupPolicyBody, putFollowupPolicyBody } from '@techmarket/contracts';
import type { z } from 'zod';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { createPolicyRepository } from './policy.repository';
import type { FollowupPolicyRules } from './rules';

/**
 * The shop's follow-up policy: the defaults until an OWNER or MANAGER sets it, optimistic versions, and the
 * engine's bookmarks forgotten whenever it changes (every due time noted was computed under the old rules).
 */

export interface PolicyDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

export const DEFAULT_POLICY: FollowupPolicyRules & {
  holidays: string[];
  quotedFollowUpTemplate: FollowupPolicy['quotedFollowUpTemplate'];
} = {
  newLeadAlertMinutes: 60,
  quotedFollowUpDays: 2,
  dormantAfterDays: 21,
  businessHoursOnly: true,
  reassignAfterMinutes: null,
  holidays: [],
  quotedFollowUpTemplate: null,
};

type PolicyInput = z.output<typeof putFollowupPolicyBody>;
type PolicyPatch = z.output<typeof patchFollowupPolicyBody>;

export const versionConflict = (what: string) =>
  new AppError('VERSION_CONFLICT', `The ${what} was changed by someone else; reload it and try again`, {
    errors: [{ path: 'version', message: 'stale version' }],
  });

export function createPolicyService({ database, clock }: PolicyDeps) {
  const repo = createPolicyRepository();

  /** The policy in force, read in the caller's transaction. */
  async function readPolicy(tx: Tx, tenantId: string): Promise<FollowupPolicy> {
    const row = await repo.getPolicy(tx, tenantId);
    if (!row) return { tenantId, ...DEFAULT_POLICY, updatedAt: null, version: 0 };
    return {
      tenantId,
      newLeadAlertMinutes: row.newLeadAlertMinutes,
      quotedFollowUpDays: row.quotedFollowUpDays,
      dormantAfterDays: row.dormantAfterDays,
      businessHoursOnly: row.businessHoursOnly,
      reassignAfterMinutes: row.reassignAfterMinutes,
      holidays: row.holidays,
      quotedFollowUpTemplate: row.quotedFollowUpTemplate ?? null,
      updatedAt: row.updatedAt,
      version: row.version,
    };
  }

  async function putPolicy(
    actor: UserPrincipal,
    tenantId: string,
    input: PolicyInput,
  ): Promise<FollowupPolicy> {
    if (actor.tenantId !== tenantId) throw notFound('Tenant');
    return database.withTenant(tenantId, async (tx) => {
      const current = await readPolicy(tx, tenantId);
      if (input.version !== undefined && input.version !== current.version) throw versionConflict('policy');
      const saved = await repo.savePolicy(
        tx,
        {
          tenantId,
          newLeadAlertMinutes: input.newLeadAlertMinutes,
          quotedFollowUpDays: input.quotedFollowUpDays,
          dormantAfterDays: input.dormantAfterDays,
          businessHoursOnly: input.businessHoursOnly,
          reassignAfterMinutes: input.reassignAfterMinutes ?? null,
          holidays: [...new Set(input.holidays ?? current.holidays)].sort(),
          quotedFollowUpTemplate:
            input.quotedFollowUpTemplate === undefined
              ? current.quotedFollowUpTemplate
              : input.quotedFollowUpTemplate,
        },
        // A version sent guards the write too: two first saves of version 0 cannot both win.
        input.version ?? null,
        clock.now().toISOString(),
      );
      if (!saved) throw versionConflict('policy');
      // Every due time the engine noted was computed under the old rules: it looks at the open leads again.
      await repo.forgetBookmarks(tx, tenantId);
      return readPolicy(tx, tenantId);
    });
  }

  return {
    readPolicy,
    putPolicy,

    getPolicy: (viewer: Principal, tenantId: string) =>
      database.withTenant(tenantId, async (tx) => {
        if (viewer.tenantId !== tenantId) throw notFound('Tenant');
        return readPolicy(tx, tenantId);
      }),

    async patchPolicy(actor: UserPrincipal, tenantId: string, input: PolicyPatch): Promise<FollowupPolicy> {
      const current = await database.withTenant(tenantId, (tx) => readPolicy(tx, tenantId));
      return putPolicy(actor, tenantId, {
        newLeadAlertMinutes: input.newLeadAlertMinutes ?? current.newLeadAlertMinutes,
        quotedFollowUpDays: input.quotedFollowUpDays ?? current.quotedFollowUpDays,
        dormantAfterDays: input.dormantAfterDays ?? current.dormantAfterDays,
        businessHoursOnly: input.businessHoursOnly ?? current.businessHoursOnly,
        reassignAfterMinutes:
          input.reassignAfterMinutes === undefined
            ? current.reassignAfterMinutes
            : input.reassignAfterMinutes,
        holidays: input.holidays ?? current.holidays,
        quotedFollowUpTemplate: input.quotedFollowUpTemplate,
        version: input.version ?? current.version,
      });
    },

    /** The shop's holidays (YYYY-MM-DD), closed in every branch: other business-time counts (ticket SLAs) skip them too. */
    async holidaysOf(tx: Tx, tenantId: string): Promise<Set<string>> {
      return new Set((await readPolicy(tx, tenantId)).holidays);
    },

    policyOf: (tenantId: string) => database.withTenant(tenantId, (tx) => readPolicy(tx, tenantId)),
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
