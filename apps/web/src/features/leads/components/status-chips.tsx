import { Badge, Chip, Group, ScrollArea } from '@mantine/core';
import type { LeadCounts, LeadStatus } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { leadStatusList as leadStatuses } from '../../../lib/domain';

/** One chip per status with its count (the inbox's tabs); the counts are optional extras. */
export function StatusChips({
  counts,
  value,
  onChange,
}: {
  counts: LeadCounts | null;
  value: LeadStatus | undefined;
  onChange: (status: LeadStatus | undefined) => void;
}) {
  const { t } = useTranslation();
  return (
    <ScrollArea type="never" offsetScrollbars={false}>
      <Chip.Group
        multiple={false}
        value={value ?? 'ALL'}
        onChange={(next) => onChange(next === 'ALL' ? undefined : (next as LeadStatus))}
      >
        <Group gap={6} wrap="nowrap" py={4}>
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
    </ScrollArea>
  );
}

function CountBadge({ n }: { n: number }) {
  return (
    <Badge size="xs" variant="light" ml={6} component="span">
      {n}
    </Badge>
  );
}
