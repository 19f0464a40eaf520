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
const priorityColors: Record<LeadPriority, string> = { HIGH: 'red', MEDIUM: 'orange', LOW: 'gray' };

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
