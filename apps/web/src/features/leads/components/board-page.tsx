import {
  type Announcements,
  type CollisionDetection,
  DndContext,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  MouseSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { Box, Group, ScrollArea, Select, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { LeadStatus, LostReason } from '@techmarket/contracts';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../../components/query-state';
import { isOneOf, leadStatusList as leadStatuses } from '../../../lib/domain';
import { decideDrop, headsAfterMoves, newestCopies } from '../../../lib/pipeline';
import { useSession } from '../../../lib/session';
import { branchesQueryOptions, byId, usersQueryOptions } from '../../../lib/tenant-data';
import { boardColumnQueryOptions, leadCountsQueryOptions } from '../api/leads';
import { useUpdateLead } from '../hooks/use-update-lead';
import { BoardCard, type BoardLead, leadName } from './board-card';
import { BoardColumn } from './board-column';
import classes from './board-page.module.css';
import { LostReasonModal } from './lost-reason-modal';
import { NewLeadButton } from './new-lead-button';

const COLUMN_LIMIT = 50;

/** Arrow keys jump a picked-up card to the next column left or right (Space picks up and drops). */
const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const { droppableRects, droppableContainers, collisionRect, over } = context;
  const direction = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  if (!collisionRect || direction === 0) return undefined;
  event.preventDefault();
  const columns = droppableContainers
    .getEnabled()
    .flatMap((c) => {
      const rect = droppableRects.get(c.id);
      return rect ? [{ id: c.id, rect }] : [];
    })
    .sort((a, b) => a.rect.left - b.rect.left);
  const current = columns.findIndex((c) => c.id === over?.id);
  const target = columns[(current === -1 ? 0 : current) + direction];
  if (!target) return undefined;
  return { x: target.rect.left + (target.rect.width - collisionRect.width) / 2, y: collisionRect.top };
};

const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : rectIntersection(args);
};

/**
 * The pipeline board: a column per status; drag a card (mouse, long press, or the keyboard) or use its
 * "Mover a…" menu to move the lead. The columns' heads come from the counts (every lead of the stage and what
 * it is worth), the cards are each stage's most recently active page.
 */
export function BoardPage() {
  const { t } = useTranslation();
  const me = useSession();
  const tenantId = me.tenant.id;
  const { branchId } = useSearch({ from: '/app/board' });
  const navigate = useNavigate({ from: '/board' });
  const branches = useQuery(branchesQueryOptions(tenantId));
  const users = useQuery(usersQueryOptions(tenantId));
  const userById = useMemo(() => byId(users.data), [users.data]);
  const columns = useQueries({
    queries: leadStatuses.map((status) => boardColumnQueryOptions(tenantId, status, branchId, COLUMN_LIMIT)),
  });
  const heads = useQuery(leadCountsQueryOptions(tenantId, branchId ? { branchId } : {}));
  const { mutate: updateLead } = useUpdateLead();
  const [pendingLost, setPendingLost] = useState<BoardLead | null>(null);
  // Where a card was dropped, until the server's answer refreshes the columns.
  const [moved, setMoved] = useState<Record<string, LeadStatus>>({});

  // A mouse drags after a few pixels; a finger after a long press that stays put, so a swipe still scrolls.
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );

  const allLeads = useMemo(() => newestCopies(columns.map((c) => c.data?.items ?? [])), [columns]);
  const leadById = useMemo(() => byId(allLeads), [allLeads]);
  const statusOf = (lead: BoardLead) => moved[lead.id] ?? lead.status;
  const shownHeads = useMemo(
    () =>
      heads.data &&
      headsAfterMoves(
        heads.data,
        Object.entries(moved).flatMap(([id, to]) => {
          const lead = leadById.get(id);
          return lead
            ? [
                {
                  from: lead.status,
                  to,
                  value:
                    lead.value !== null && lead.currency !== null
                      ? { amount: lead.value, currency: lead.currency }
                      : null,
                },
              ]
            : [];
        }),
      ),
    [heads.data, moved, leadById],
  );

  const move = useCallback(
    (lead: BoardLead, to: LeadStatus, lostReason?: LostReason) => {
      setMoved((m) => ({ ...m, [lead.id]: to }));
      updateLead(
        { lead, change: { status: to, version: lead.version, ...(lostReason ? { lostReason } : {}) } },
        {
          onSettled: () =>
            setMoved((m) => {
              const { [lead.id]: _, ...rest } = m;
              return rest;
            }),
        },
      );
    },
    [updateLead],
  );

  /** A move from the card's menu: it offers only allowed moves, and LOST asks why first. */
  const moveFromMenu = useCallback(
    (lead: BoardLead, to: LeadStatus) => (to === 'LOST' ? setPendingLost(lead) : move(lead, to)),
    [move],
  );

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const lead = leadById.get(String(active.id));
    if (!lead || !over) return;
    const from = statusOf(lead);
    const to = over.id as LeadStatus;
    const decision = decideDrop(from, to);
    if (decision === 'forbidden') {
      notifications.show({
        color: 'yellow',
        message: t('board.notAllowed', { from: t(`status.${from}`), to: t(`status.${to}`) }),
      });
    } else if (decision === 'askLostReason') {
      setPendingLost(lead);
    } else if (decision === 'move') {
      move(lead, to);
    }
  };

  const nameOf = (id: string | number) => {
    const lead = leadById.get(String(id));
    return lead ? leadName(lead, t('inbox.anonymous')) : '';
  };
  // A drop target's id is a column's status.
  const statusName = (id: string | number) => (isOneOf(leadStatuses, id) ? t(`status.${id}`) : String(id));
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('board.dragStart', { name: nameOf(active.id) }),
    onDragOver: ({ over }) => (over ? t('board.dragOver', { status: statusName(over.id) }) : ''),
    onDragEnd: ({ over }) =>
      over ? t('board.dragEnd', { status: statusName(over.id) }) : t('board.dragCancel'),
    onDragCancel: () => t('board.dragCancel'),
  };

  const firstError = columns.find((c) => c.isError)?.error ?? heads.error;

  return (
    <Box p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={1} size="h3">
          {t('board.title')}
        </Title>
        <Group gap="xs">
          {(branches.data?.length ?? 0) > 1 && (
            <Select
              aria-label={t('inbox.branch')}
              placeholder={t('inbox.all')}
              clearable
              size="xs"
              w={200}
              value={branchId ?? null}
              data={(branches.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
              onChange={(value) => void navigate({ search: { branchId: value ?? undefined } })}
            />
          )}
          <NewLeadButton />
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm" id="board-hint">
        {t('board.hint')}
      </Text>
      {firstError ? (
        <ErrorState
          error={firstError}
          onRetry={() => {
            for (const c of [...columns, heads]) void c.refetch();
          }}
        />
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={collision}
          onDragEnd={onDragEnd}
          accessibility={{
            announcements,
            screenReaderInstructions: { draggable: t('board.hint') },
          }}
        >
          <ScrollArea type="auto" offsetScrollbars classNames={{ viewport: classes.columns }}>
            <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
              {leadStatuses.map((status, index) => {
                const column = columns[index];
                const leads = allLeads.filter((l) => statusOf(l) === status);
                return (
                  <BoardColumn
                    key={status}
                    status={status}
                    // Until the counts answer, the cards at hand are the best figure.
                    count={Math.max(shownHeads?.counts[status] ?? 0, leads.length)}
                    amounts={shownHeads?.amounts[status] ?? []}
                    shown={leads.length}
                    branchId={branchId}
                    loading={!!column?.isPending}
                  >
                    {leads.map((lead) => (
                      <BoardCard
                        key={lead.id}
                        lead={lead}
                        status={status}
                        seller={
                          lead.assignedToUserId ? (userById.get(lead.assignedToUserId)?.name ?? null) : null
                        }
                        onMove={moveFromMenu}
                      />
                    ))}
                  </BoardColumn>
                );
              })}
            </Group>
          </ScrollArea>
        </DndContext>
      )}
      <LostReasonModal
        opened={pendingLost !== null}
        onCancel={() => setPendingLost(null)}
        onConfirm={(reason) => {
          if (pendingLost) move(pendingLost, 'LOST', reason);
          setPendingLost(null);
        }}
      />
    </Box>
  );
}
