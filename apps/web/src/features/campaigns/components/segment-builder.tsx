import { Button, CloseButton, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listingCategories } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { branchesQueryOptions, listingsQueryOptions } from '../../../lib/tenant-data';
import {
  type DraftRule,
  MAX_RULES,
  newDraftRule,
  type RuleKind,
  type RuleProblem,
  ruleKinds,
} from '../api/segments';
import { RuleFields } from './segment-rule-fields';

/** A field of a rule, or the rule itself, named by the API's problem+json (`segment.rules.2.branchIds`). */
export type RuleErrors = Record<number, string>;

/**
 * The segment's rules, each with its own fields, added and removed in place. The caller owns the drafts (so
 * it can save them); `problems` names what an incomplete rule lacks, `errors` what the API refused.
 */
export function SegmentBuilder({
  tenantId,
  rules,
  onChange,
  problems,
  errors = {},
  showProblems = false,
}: {
  tenantId: string;
  rules: DraftRule[];
  onChange: (rules: DraftRule[]) => void;
  problems: Record<string, RuleProblem>;
  errors?: RuleErrors;
  /** Show what incomplete rules lack (after a save was tried); the live count says so anyway. */
  showProblems?: boolean;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<RuleKind>('INTERESTED_IN');
  const branches = useQuery(branchesQueryOptions(tenantId));
  const listings = useQuery(listingsQueryOptions(tenantId));

  const update = (key: string, change: Partial<DraftRule>) =>
    onChange(rules.map((r) => (r.key === key ? ({ ...r, ...change } as DraftRule) : r)));
  const zones = [...new Set((branches.data ?? []).flatMap((b) => (b.zone ? [b.zone] : [])))].sort();

  return (
    <Stack gap="xs" component="section" aria-labelledby="segment-title">
      <div>
        <Title order={2} size="h5" id="segment-title">
          {t('campaigns.segment.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('campaigns.segment.hint')}
        </Text>
      </div>
      {rules.map((draft, index) => {
        const name = t(`campaigns.segment.rule.${draft.rule}`);
        const problem = problems[draft.key];
        const apiError = errors[index];
        return (
          <Paper
            key={draft.key}
            withBorder
            p="sm"
            radius="md"
            role="group"
            aria-labelledby={`${draft.key}-title`}
            data-testid="segment-rule"
          >
            <Group justify="space-between" wrap="nowrap" gap="xs" mb={4}>
              <Text fw={600} size="sm" id={`${draft.key}-title`}>
                {t('campaigns.segment.ruleN', { n: index + 1, name })}
              </Text>
              <CloseButton
                aria-label={t('campaigns.segment.remove', { n: index + 1 })}
                onClick={() => onChange(rules.filter((r) => r.key !== draft.key))}
              />
            </Group>
            <Text size="xs" c="dimmed" mb="xs">
              {t(`campaigns.segment.ruleHint.${draft.rule}`)}
            </Text>
            <RuleFields
              draft={draft}
              index={index}
              onChange={(change) => update(draft.key, change)}
              categories={listingCategories}
              listings={(listings.data ?? []).map((l) => ({ value: l.id, label: l.title }))}
              zones={zones}
              branches={(branches.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
              problem={showProblems ? problem : undefined}
            />
            {apiError && (
              <Text size="sm" c="red" role="alert" mt={4}>
                {apiError}
              </Text>
            )}
          </Paper>
        );
      })}
      {rules.length < MAX_RULES ? (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('campaigns.segment.newRule')}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as RuleKind)}
            data={ruleKinds.map((k) => ({ value: k, label: t(`campaigns.segment.rule.${k}`) }))}
            style={{ flex: '1 1 200px' }}
          />
          <Button variant="light" onClick={() => onChange([...rules, newDraftRule(kind)])}>
            {t('campaigns.segment.add')}
          </Button>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          {t('campaigns.segment.max', { max: MAX_RULES })}
        </Text>
      )}
    </Stack>
  );
}
