import { Badge } from '@mantine/core';
import type { LeadPriority, LeadStatus } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';

export const statusColors: Record<LeadStatus, string> = {
  NEW: 'blue',
  CONTACTED: 'cyan',
  QUALIFIED: 'teal',
  QUOTED: 'violet',
  WON: 'green',
  LOST: 'red',
  DORMANT: 'gray',
};
// Shades dark enough for 10 px text to stay readable (4.5:1) on white and on the filled badge. Mantine's
// darkest orange (orange.9, #d9480f) reaches only 4.29:1, which Lighthouse's accessibility audit fails: a
// darker burnt orange (5.2:1).
const priorityColors: Record<LeadPriority, string> = { HIGH: 'red.9', MEDIUM: '#c2410c', LOW: 'gray.7' };

export function StatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColors[status]} variant="light" size="sm">
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: LeadPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={priorityColors[priority]} variant={priority === 'HIGH' ? 'filled' : 'outline'} size="sm">
      {t(`priority.${priority}`)}
    </Badge>
  );
}
