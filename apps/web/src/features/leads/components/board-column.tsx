import { useDroppable } from '@dnd-kit/core';
import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { LeadStatus, MoneyTotal } from '@techmarket/contracts';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { statusColors } from '../../../components/lead-badges';
import { Loading } from '../../../components/query-state';
import { formatMoney } from '../../../lib/format';

/**
 * A stage of the board. Its head tells the truth about the whole stage (every lead in it, and the sum of their
 * products' prices in each currency), while it shows only the most recently active page of cards; when there
 * are more, it says so and links to the inbox filtered on the stage.
 */
export function BoardColumn({
  status,
  count,
  amounts,
  shown,
  branchId,
  loading,
  children,
}: {
  status: LeadStatus;
  /** Every lead in the stage, not only the cards shown. */
  count: number;
  amounts: readonly MoneyTotal[];
  /** How many cards the column holds. */
  shown: number;
  branchId?: string | undefined;
  loading: boolean;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
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
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} size="sm">
          {t(`status.${status}`)}
        </Text>
        <Badge color={statusColors[status]} variant="light" size="sm" data-testid="board-column-count">
          {count}
        </Badge>
      </Group>
      <Stack gap={0} mb="xs" mih={18} data-testid="board-column-total">
        {amounts.map((amount) => (
          <Text key={amount.currency} size="xs" c="dimmed">
            {formatMoney(amount.total, amount.currency, i18n.language)}
          </Text>
        ))}
      </Stack>
      <Stack gap="xs">
        {loading ? (
          <Loading />
        ) : shown === 0 ? (
          <Text size="xs" c="dimmed" ta="center" py="md">
            {t('board.empty')}
          </Text>
        ) : (
          children
        )}
        {!loading && count > shown && (
          <Text size="xs" c="dimmed" ta="center">
            {t('board.showing', { shown, count })}{' '}
            <Anchor
              size="xs"
              renderRoot={(props) => <Link to="/" search={{ status, branchId }} {...props} />}
            >
              {t('board.seeAll')}
            </Anchor>
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
