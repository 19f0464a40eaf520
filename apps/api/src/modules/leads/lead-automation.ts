import type { Lead } from '@techmarket/contracts';
import type { Tx } from '../../platform/db';
import { assignNewLead } from './assignment';
import { type AutomaticChanges, createLeadsRepository, type NewLeadEvent } from './leads.repository';

/**
 * The changes the system makes to a lead on its own (the follow-up engine), with no person as actor. They
 * live here so that every write to a lead and its history stays in this module. Each runs in the caller's
 * transaction and is guarded by the version the caller read: a lead someone changed meanwhile is left alone
 * (null), and the caller looks at it again later.
 */
export function createLeadAutomation() {
  const repo = createLeadsRepository();

  async function bump(
    tx: Tx,
    tenantId: string,
    leadId: string,
    version: number,
    changes: AutomaticChanges,
    at: string,
  ) {
    if (!(await repo.updateWithoutActivity(tx, tenantId, leadId, version, changes, at))) return null;
    return repo.findLead(tx, tenantId, leadId, null);
  }

  return {
    /**
     * An idle lead goes DORMANT: a STATUS_CHANGED event with no actor. Not activity: last_activity_at stays.
     * The engine's bookmark moves with it, so the engine does not look at the lead again in this stage.
     */
    async markDormant(
      tx: Tx,
      tenantId: string,
      current: { id: string; status: Lead['status']; version: number },
      at: string,
      detail: Record<string, unknown>,
    ): Promise<Lead | null> {
      const moved = await bump(
        tx,
        tenantId,
        current.id,
        current.version,
        { status: 'DORMANT', statusChangedAt: at, followupStageAt: at, followupDueAt: null },
        at,
      );
      if (!moved) return null;
      await repo.insertEvents(tx, [
        {
          tenantId,
          leadId: current.id,
          type: 'STATUS_CHANGED',
          payload: { from: current.status, to: 'DORMANT', ...detail },
          actorUserId: null,
          createdAt: at,
        },
      ]);
      return moved;
    },

    /**
     * An unanswered lead goes to the next seller on shift at its branch other than the current one (the
     * branch's round-robin turn); null when there is no one else, or the lead changed meanwhile.
     */
    async reassignUnanswered(
      tx: Tx,
      tenantId: string,
      current: { id: string; branchId: string; assignedToUserId: string | null; version: number },
      at: string,
    ): Promise<Lead | null> {
      const next = await assignNewLead(tx, tenantId, current.branchId, new Date(at), {
        exclude: current.assignedToUserId,
      });
      if (next.userId === null || next.userId === current.assignedToUserId) return null;
      const moved = await bump(
        tx,
        tenantId,
        current.id,
        current.version,
        { assignedToUserId: next.userId },
        at,
      );
      if (!moved) return null;
      await repo.insertEvents(tx, [
        {
          tenantId,
          leadId: current.id,
          type: 'ASSIGNED',
          payload: {
            fromUserId: current.assignedToUserId,
            toUserId: next.userId,
            strategy: next.strategy,
            reason: 'UNANSWERED',
            ...(next.offShift ? { offShift: true } : {}),
          },
          actorUserId: null,
          createdAt: at,
        },
      ]);
      return moved;
    },

    /** Events the engine writes on leads it does not change (FOLLOWUP_DUE). */
    recordEvents: (tx: Tx, events: NewLeadEvent[]) => repo.insertEvents(tx, events),
  };
}

export type LeadAutomation = ReturnType<typeof createLeadAutomation>;
