import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Chip,
  CloseButton,
  Group,
  Loader,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type LostReason, listingCategories, type Segment } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lostReasonList } from '../../../lib/domain';
import { formatPhone } from '../../../lib/phone';
import { problemMessage } from '../../../lib/problem-message';
import { branchesQueryOptions, listingsQueryOptions } from '../../../lib/tenant-data';
import { segmentPreviewQueryOptions } from '../api/campaigns';
import {
  type DraftRule,
  MAX_DAYS,
  MAX_HOURS,
  MAX_RULES,
  newDraftRule,
  type RuleKind,
  type RuleProblem,
  ruleKinds,
} from '../api/segments';

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

const bareFieldset = { border: 0, padding: 0, margin: 0, minWidth: 0 };
const legendStyle = {
  fontWeight: 'var(--mantine-font-weight-medium)',
  fontSize: 'var(--mantine-font-size-sm)',
  marginBottom: 4,
  padding: 0,
};

interface Option {
  value: string;
  label: string;
}

function RuleFields({
  draft,
  index,
  onChange,
  categories,
  listings,
  zones,
  branches,
  problem,
}: {
  draft: DraftRule;
  index: number;
  onChange: (change: Partial<DraftRule>) => void;
  categories: readonly string[];
  listings: Option[];
  zones: string[];
  branches: Option[];
  problem: RuleProblem | undefined;
}) {
  const { t } = useTranslation();
  const missing = (what: RuleProblem) =>
    problem === what ? t(`campaigns.segment.missing.${what}`) : undefined;
  const id = `rule-${index}`;
  const categorySelect = (value: string) => (
    <NativeSelect
      label={t('campaigns.segment.category')}
      value={value}
      error={missing('category')}
      onChange={(event) => onChange({ category: event.currentTarget.value })}
      data={[
        { value: '', label: t('campaigns.segment.chooseCategory') },
        ...categories.map((c) => ({ value: c, label: t(`campaigns.category.${c}`, { defaultValue: c }) })),
        // A saved category the list does not have (written another way through the API) stays choosable.
        ...(value && !categories.includes(value) ? [{ value, label: value }] : []),
      ]}
      style={{ flex: '1 1 180px' }}
    />
  );
  const daysInput = (value: number | '', optional: boolean) => (
    <NumberInput
      label={t(optional ? 'campaigns.segment.withinDaysOptional' : 'campaigns.segment.withinDays')}
      value={value}
      min={1}
      max={MAX_DAYS}
      allowDecimal={false}
      allowNegative={false}
      error={missing('withinDays')}
      onChange={(v) => onChange({ withinDays: v === '' ? '' : Number(v) })}
      style={{ flex: '1 1 140px' }}
    />
  );

  switch (draft.rule) {
    case 'VIEWED':
      return (
        <Stack gap="xs">
          <SegmentedControl
            aria-label={t('campaigns.segment.viewedTarget')}
            value={draft.target}
            onChange={(value) => onChange({ target: value as 'category' | 'listing' })}
            data={[
              { value: 'category', label: t('campaigns.segment.targetCategory') },
              { value: 'listing', label: t('campaigns.segment.targetListing') },
            ]}
          />
          <Group gap="xs" align="flex-start" wrap="wrap">
            {draft.target === 'category' ? (
              categorySelect(draft.category)
            ) : (
              <NativeSelect
                label={t('campaigns.segment.listing')}
                value={draft.listingId}
                error={missing('listing')}
                onChange={(event) => onChange({ listingId: event.currentTarget.value })}
                data={[
                  { value: '', label: t('campaigns.segment.chooseListing') },
                  ...listings,
                  ...(draft.listingId && !listings.some((l) => l.value === draft.listingId)
                    ? [{ value: draft.listingId, label: draft.listingId }]
                    : []),
                ]}
                style={{ flex: '1 1 220px', minWidth: 0 }}
              />
            )}
            {daysInput(draft.withinDays, false)}
          </Group>
          <Checkbox
            label={t('campaigns.segment.withoutWin')}
            checked={draft.withoutWin}
            onChange={(event) => onChange({ withoutWin: event.currentTarget.checked })}
          />
        </Stack>
      );
    case 'LOST':
      return (
        <Stack gap="xs">
          <fieldset style={bareFieldset}>
            <legend style={legendStyle}>{t('campaigns.segment.reasons')}</legend>
            <Chip.Group
              multiple
              value={draft.reasons}
              onChange={(reasons) => onChange({ reasons: reasons as LostReason[] })}
            >
              <Group gap={6}>
                {lostReasonList.map((reason) => (
                  <Chip key={reason} value={reason} size="sm">
                    {t(`lostReason.${reason}`)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </fieldset>
          <Group>{daysInput(draft.withinDays, true)}</Group>
        </Stack>
      );
    case 'INTERESTED_IN':
      return (
        <Group gap="xs" align="flex-start" wrap="wrap">
          {categorySelect(draft.category)}
          {daysInput(draft.withinDays, true)}
        </Group>
      );
    case 'CLICKED_NOT_WRITTEN':
      return (
        <Group gap="xs" align="flex-start" wrap="wrap">
          <NumberInput
            label={t('campaigns.segment.withinHours')}
            value={draft.withinHours}
            min={1}
            max={MAX_HOURS}
            allowDecimal={false}
            allowNegative={false}
            error={missing('withinHours')}
            onChange={(v) => onChange({ withinHours: v === '' ? '' : Number(v) })}
            style={{ flex: '1 1 140px' }}
          />
          {daysInput(draft.withinDays, false)}
        </Group>
      );
    case 'ZONE': {
      const options = [...new Set([...zones, ...draft.zones])];
      return (
        <ChoiceChips
          id={`${id}-zones`}
          label={t('campaigns.segment.zones')}
          empty={t('campaigns.segment.noZones')}
          options={options.map((z) => ({ value: z, label: z }))}
          value={draft.zones}
          onChange={(values) => onChange({ zones: values })}
          error={missing('zones')}
        />
      );
    }
    case 'BRANCH': {
      const known = new Set(branches.map((b) => b.value));
      const options = [
        ...branches,
        ...draft.branchIds.filter((b) => !known.has(b)).map((b) => ({ value: b, label: b })),
      ];
      return (
        <ChoiceChips
          id={`${id}-branches`}
          label={t('campaigns.segment.branches')}
          empty={t('campaigns.segment.noBranches')}
          options={options}
          value={draft.branchIds}
          onChange={(values) => onChange({ branchIds: values })}
          error={missing('branches')}
        />
      );
    }
    case 'DORMANT':
    case 'CONSENT':
      return null;
  }
}

function ChoiceChips({
  id,
  label,
  empty,
  options,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  empty: string;
  options: Option[];
  value: string[];
  onChange: (values: string[]) => void;
  error: string | undefined;
}) {
  return (
    <fieldset style={bareFieldset} id={id}>
      <legend style={legendStyle}>{label}</legend>
      {options.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Chip.Group multiple value={value} onChange={onChange}>
          <Group gap={6}>
            {options.map((o) => (
              <Chip key={o.value} value={o.value} size="sm">
                {o.label}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      {error && (
        <Text size="xs" c="red" mt={4}>
          {error}
        </Text>
      )}
    </fieldset>
  );
}

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
