import { Alert, Badge, Box, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Segment } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../../lib/phone';
import { problemMessage } from '../../../lib/problem-message';
import { segmentPreviewQueryOptions } from '../api/campaigns';

/**
 * The live count: the segment is asked about once typing pauses, and only when complete. The last answer
 * stays on screen (dimmed) while the next one is on its way.
 */
export function SegmentPreviewCard({ tenantId, segment }: { tenantId: string; segment: Segment | null }) {
  const { t } = useTranslation();
  const key = segment ? JSON.stringify(segment) : '';
  const [debouncedKey] = useDebouncedValue(key, 400);
  const debounced = debouncedKey ? (JSON.parse(debouncedKey) as Segment) : null;
  const preview = useQuery({
    ...segmentPreviewQueryOptions(tenantId, debounced ?? { rules: [] }),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
  });
  const settling = key !== debouncedKey || preview.isFetching;

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="segment-preview-title">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Title order={2} size="h5" id="segment-preview-title">
          {t('campaigns.segment.preview')}
        </Title>
        {segment && settling && <Loader size="xs" aria-label={t('campaigns.segment.counting')} />}
      </Group>
      {!segment ? (
        <Text size="sm" c="dimmed" mt={4}>
          {t('campaigns.segment.incomplete')}
        </Text>
      ) : preview.isError ? (
        <Alert color="red" mt="xs" role="alert">
          {problemMessage(preview.error, t)}
        </Alert>
      ) : preview.data ? (
        <Stack gap={4} mt={4} style={{ opacity: settling ? 0.6 : 1 }} aria-live="polite" aria-busy={settling}>
          <Text fw={700} fz={24} lh={1.3} data-testid="segment-count">
            {t('campaigns.segment.count', { count: preview.data.count })}
          </Text>
          {preview.data.sample.length > 0 && (
            <>
              <Text size="xs" c="dimmed">
                {t('campaigns.segment.sample')}
              </Text>
              <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
                {preview.data.sample.slice(0, 5).map((member) => (
                  <Box key={member.contactId} component="li" miw={0} data-testid="segment-member">
                    <Text size="sm" truncate>
                      {member.name ?? t('campaigns.segment.noName')}
                    </Text>
                    <Group gap={6} wrap="wrap">
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatPhone(member.phone)}
                      </Text>
                      {member.optedOut ? (
                        <Badge size="xs" color="red" variant="light">
                          {t('campaigns.segment.optedOut')}
                        </Badge>
                      ) : (
                        !member.marketingConsent && (
                          <Badge size="xs" color="gray" variant="light">
                            {t('campaigns.segment.noConsent')}
                          </Badge>
                        )
                      )}
                    </Group>
                  </Box>
                ))}
              </Stack>
            </>
          )}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed" mt={4}>
          {t('campaigns.segment.counting')}
        </Text>
      )}
    </Paper>
  );
}
