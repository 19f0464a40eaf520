import {
  type Announcements,
  type CollisionDetection,
  DndContext,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { Badge, Box, Group, Paper, ScrollArea, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import type { Lead, LeadStatus, LostReason } from '@techmarket/contracts';
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PriorityBadge, statusColors } from '../../../components/lead-badges';
import { ErrorState, Loading } from '../../../components/query-state';
import { isOneOf, leadStatusList as leadStatuses } from '../../../lib/domain';
import { formatAge } from '../../../lib/format';
import { decideDrop, newestCopies } from '../../../lib/pipeline';
import { useSession } from '../../../lib/session';
import { branchesQueryOptions, byId, usersQueryOptions } from '../../../lib/tenant-data';
import { boardColumnQueryOptions } from '../api/leads';
import { useUpdateLead } from '../hooks/use-update-lead';
import classes from './board-page.module.css';
import { LostReasonModal } from './lost-reason-modal';

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

const leadName = (lead: Lead, anonymous: string) =>
  lead.contact.name ?? ((lead.contact.phone ?? '') || anonymous);

/** The pipeline board: a column per status; drag a card (or use the keyboard) to move the lead. */
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
  const update = useUpdateLead();
  const [pendingLost, setPendingLost] = useState<Lead | null>(null);
  // Where a card was dropped, until the server's answer refreshes the columns.
  const [moved, setMoved] = useState<Record<string, LeadStatus>>({});

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );

  const allLeads = useMemo(() => newestCopies(columns.map((c) => c.data?.items ?? [])), [columns]);
  const leadById = useMemo(() => byId(allLeads), [allLeads]);
  const statusOf = (lead: Lead) => moved[lead.id] ?? lead.status;

  const move = (lead: Lead, to: LeadStatus, lostReason?: LostReason) => {
    setMoved((m) => ({ ...m, [lead.id]: to }));
    update.mutate(
      { lead, change: { status: to, version: lead.version, ...(lostReason ? { lostReason } : {}) } },
      {
        onSettled: () =>
          setMoved((m) => {
            const { [lead.id]: _, ...rest } = m;
            return rest;
          }),
      },
    );
  };

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

  const firstError = columns.find((c) => c.isError)?.error;

  return (
    <Box p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={1} size="h3">
          {t('board.title')}
        </Title>
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
      </Group>
      <Text size="sm" c="dimmed" mb="sm" id="board-hint">
        {t('board.hint')}
      </Text>
      {firstError ? (
        <ErrorState error={firstError} onRetry={() => columns.forEach((c) => void c.refetch())} />
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
          <ScrollArea type="auto" offsetScrollbars>
            <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
              {leadStatuses.map((status, index) => {
                const column = columns[index];
                const leads = allLeads.filter((l) => statusOf(l) === status);
                return (
                  <BoardColumn
                    key={status}
                    status={status}
                    count={leads.length}
                    loading={!!column?.isPending}
                  >
                    {leads.map((lead) => (
                      <BoardCard
                        key={lead.id}
                        lead={lead}
                        seller={
                          lead.assignedToUserId ? (userById.get(lead.assignedToUserId)?.name ?? null) : null
                        }
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

function BoardColumn({
  status,
  count,
  loading,
  children,
}: {
  status: LeadStatus;
  count: number;
  loading: boolean;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: status });
  return (
    <Paper
      ref={setNodeRef}
      withBorder
      p="xs"
      w={260}
      miw={260}
      mih={300}
      bg={isOver ? 'var(--mantine-color-default-hover)' : undefined}
      role="region"
      aria-label={t('board.column', { status: t(`status.${status}`), count })}
      data-testid={`board-column-${status}`}
    >
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          {t(`status.${status}`)}
        </Text>
        <Badge color={statusColors[status]} variant="light" size="sm">
          {count}
        </Badge>
      </Group>
      <Stack gap="xs">
        {loading ? (
          <Loading />
        ) : count === 0 ? (
          <Text size="xs" c="dimmed" ta="center" py="md">
            {t('board.empty')}
          </Text>
        ) : (
          children
        )}
      </Stack>
    </Paper>
  );
}

/** Memoized: a board holds hundreds of cards, and a drag must not re-render the ones that stay put. */
const BoardCard = memo(function BoardCard({ lead, seller }: { lead: Lead; seller: string | null }) {
  const { t, i18n } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: lead.id });
  const name = leadName(lead, t('inbox.anonymous'));
  return (
    <Paper
      ref={setNodeRef}
      withBorder
      shadow={isDragging ? 'md' : 'xs'}
      p="xs"
      style={{
        transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
        zIndex: isDragging ? 10 : undefined,
        cursor: 'grab',
        touchAction: 'manipulation',
        position: 'relative',
      }}
      data-testid="board-card"
      data-lead-id={lead.id}
      {...attributes}
      {...listeners}
      aria-describedby="board-hint"
    >
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Link
          to="/leads/$leadId"
          params={{ leadId: lead.id }}
          className={classes.cardLink}
          onPointerDown={(e) => e.stopPropagation()}
          tabIndex={-1}
        >
          {name}
        </Link>
        <PriorityBadge priority={lead.priority} />
      </Group>
      <Group justify="space-between" wrap="nowrap" gap={4} mt={4}>
        <Text size="xs" c="dimmed" truncate>
          {seller ?? t('inbox.unassigned')}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatAge(lead.lastActivityAt, i18n.language)}
        </Text>
      </Group>
    </Paper>
  );
});
