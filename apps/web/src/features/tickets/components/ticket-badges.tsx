import { Badge } from '@mantine/core';
import type { TicketStatus } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';

const colors: Record<TicketStatus, string> = {
  OPEN: 'blue',
  IN_PROGRESS: 'cyan',
  WAITING_CUSTOMER: 'yellow',
  RESOLVED: 'green',
  CLOSED: 'gray',
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={colors[status]} variant="light" size="sm">
      {t(`tickets.statusName.${status}`)}
    </Badge>
  );
}
