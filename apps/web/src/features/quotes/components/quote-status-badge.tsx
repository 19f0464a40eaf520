import { Badge } from '@mantine/core';
import type { QuoteStatus } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';

const colors: Record<QuoteStatus, string> = {
  DRAFT: 'gray',
  SENT: 'blue',
  ACCEPTED: 'green',
  REJECTED: 'red',
  EXPIRED: 'orange',
};

export function QuoteStatusBadge({ status }: { status: QuoteStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={colors[status]} variant="light" size="sm">
      {t(`quotes.statusName.${status}`)}
    </Badge>
  );
}

/** N.º 000123 */
export const quoteNumber = (n: number) => String(n).padStart(6, '0');
