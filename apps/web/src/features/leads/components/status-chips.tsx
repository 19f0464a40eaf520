import { Box, Chip, Group, Text } from '@mantine/core';
import type { LeadCounts, LeadStatus } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { leadStatusList as leadStatuses, openLeadStatusList } from '../../../lib/domain';

type StageChoice = LeadStatus | 'OPEN' | 'ALL';

/**
 * The inbox's tabs: the open stages together, every stage, then one chip per status, each with its count (the
 * counts are optional extras).
 */
export function StatusChips({
  counts,
  value,
  onChange,
}: {
  counts: LeadCounts | null;
  value: StageChoice;
  onChange: (status: StageChoice) => void;
}) {
  const { t } = useTranslation();
  const open = counts ? openLeadStatusList.reduce((sum, status) => sum + (counts.counts[status] ?? 0), 0) : 0;
  return (
    // A plain scrolling box, not Mantine's ScrollArea: that one brings floating-ui (about 18 KB gzip) onto a
    // signed-in first visit for a row of chips whose scrollbar is hidden anyway.
    <Box style={{ overflowX: 'auto', scrollbarWidth: 'none' }}>
      <Chip.Group multiple={false} value={value} onChange={(next) => onChange(next as StageChoice)}>
        <Group gap={6} wrap="nowrap" py={4}>
          <Chip value="OPEN" size="xs" variant="outline">
            {t('inbox.openStatuses')}
            {counts && <CountBadge n={open} />}
          </Chip>
          <Chip value="ALL" size="xs" variant="outline">
            {t('inbox.allStatuses')}
            {counts && <CountBadge n={counts.total} />}
          </Chip>
          {leadStatuses.map((status) => (
            <Chip key={status} value={status} size="xs" variant="outline">
              {t(`status.${status}`)}
              {counts && <CountBadge n={counts.counts[status] ?? 0} />}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
    </Box>
  );
}

/**
 * The count as text of the chip's own label: a Badge inside a size-xs chip is taller than the label's fixed height
 * and wider than its padding allows, so long counts drew over the chip's border.
 */
function CountBadge({ n }: { n: number }) {
  return (
    <Text span inherit fw={700} ml={6} data-testid="stage-count">
      {n}
    </Text>
  );
}
