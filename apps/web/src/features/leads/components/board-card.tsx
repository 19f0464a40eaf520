import { useDraggable } from '@dnd-kit/core';
import { Group, Menu, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type Lead, type LeadInboxItem, type LeadStatus, leadTransitions } from '@techmarket/contracts';
import { memo, type SyntheticEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PriorityBadge } from '../../../components/lead-badges';
import { formatAge, formatMoney } from '../../../lib/format';
import classes from './board-page.module.css';

/** A board card's lead: the inbox row, whose product (`listing`) and value the card shows. */
export type BoardLead = Lead & Pick<LeadInboxItem, 'listing'>;

export const leadName = (lead: Lead, anonymous: string) =>
  lead.contact.name ?? ((lead.contact.phone ?? '') || anonymous);

// The card is the drag handle; the controls inside it (and the menu it opens) must not start a drag.
const keepFromDrag = {
  onPointerDown: (event: SyntheticEvent) => event.stopPropagation(),
  onMouseDown: (event: SyntheticEvent) => event.stopPropagation(),
  onTouchStart: (event: SyntheticEvent) => event.stopPropagation(),
  onKeyDown: (event: SyntheticEvent) => event.stopPropagation(),
};

/**
 * A lead on the board: who, what they asked about and for how much, who works it and since when. Drag it
 * (a mouse, a long press on a phone, or Space and the arrows), or pick a stage in its "Mover a…" menu, which
 * offers only the moves the pipeline allows from where the card is. Memoized: a board holds hundreds of cards,
 * and a drag must not re-render the ones that stay put.
 */
export const BoardCard = memo(function BoardCard({
  lead,
  status,
  seller,
  onMove,
}: {
  lead: BoardLead;
  /** The column the card shows in (where it was dropped, before the server answers). */
  status: LeadStatus;
  seller: string | null;
  onMove: (lead: BoardLead, to: LeadStatus) => void;
}) {
  const { t, i18n } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, isDragging } = useDraggable({
    id: lead.id,
  });
  // Space picks the card up only when the card itself has the focus, not a control inside it.
  const setRef = useCallback(
    (node: HTMLElement | null) => {
      setNodeRef(node);
      setActivatorNodeRef(node);
    },
    [setNodeRef, setActivatorNodeRef],
  );
  const name = leadName(lead, t('inbox.anonymous'));
  return (
    <Paper
      ref={setRef}
      withBorder
      shadow={isDragging ? 'md' : 'xs'}
      p="xs"
      className={classes.card}
      style={{
        transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
        zIndex: isDragging ? 10 : undefined,
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
          draggable={false}
          tabIndex={-1}
          {...keepFromDrag}
        >
          {name}
        </Link>
        <PriorityBadge priority={lead.priority} />
      </Group>
      {(lead.listing || lead.value !== null) && (
        <Group justify="space-between" wrap="nowrap" gap={4} mt={4} data-testid="board-card-product">
          <Text size="xs" truncate>
            {lead.listing?.title ?? ''}
          </Text>
          {lead.value !== null && lead.currency !== null && (
            <Text size="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>
              {formatMoney(lead.value, lead.currency, i18n.language)}
            </Text>
          )}
        </Group>
      )}
      <Group justify="space-between" wrap="nowrap" gap={4} mt={4} align="center">
        <Stack gap={0} miw={0}>
          <Text size="xs" c="dimmed" truncate>
            {seller ?? t('inbox.unassigned')}
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatAge(lead.lastActivityAt, i18n.language)}
          </Text>
        </Stack>
        <MoveMenu name={name} from={status} onPick={(to) => onMove(lead, to)} />
      </Group>
    </Paper>
  );
});

/**
 * "Mover a…": the stages the pipeline allows from `from`. The menu itself mounts on the first tap: a board
 * holds hundreds of cards, and a closed Mantine menu on each made the board take seconds to show on a phone.
 */
function MoveMenu({
  name,
  from,
  onPick,
}: {
  name: string;
  from: LeadStatus;
  onPick: (to: LeadStatus) => void;
}) {
  const { t } = useTranslation();
  const [mounted, setMounted] = useState(false);
  const button = (
    <UnstyledButton
      className={classes.moveButton}
      aria-label={t('board.moveMenuFor', { name })}
      aria-haspopup="menu"
      onClick={mounted ? undefined : () => setMounted(true)}
      {...keepFromDrag}
    >
      {t('board.moveMenu')}
    </UnstyledButton>
  );
  if (!mounted) return button;
  return (
    <Menu position="bottom-end" withinPortal defaultOpened onClose={() => setMounted(false)}>
      <Menu.Target>{button}</Menu.Target>
      {/* A portal's events still bubble to the card through React: keep them from starting a drag. */}
      <Menu.Dropdown {...keepFromDrag}>
        <Menu.Label>{t('board.moveMenu')}</Menu.Label>
        {leadTransitions[from].map((to) => (
          <Menu.Item key={to} onClick={() => onPick(to)}>
            {t(`status.${to}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
