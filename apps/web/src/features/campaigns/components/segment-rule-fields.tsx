import {
  Checkbox,
  Chip,
  Group,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import type { LostReason } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { lostReasonList } from '../../../lib/domain';
import { type DraftRule, MAX_DAYS, MAX_HOURS, type RuleProblem } from '../api/segments';

const bareFieldset = { border: 0, padding: 0, margin: 0, minWidth: 0 };
const legendStyle = {
  fontWeight: 'var(--mantine-font-weight-medium)',
  fontSize: 'var(--mantine-font-size-sm)',
  marginBottom: 4,
  padding: 0,
};

/** A choice of a select or a chip group. */
export interface Option {
  value: string;
  label: string;
}

/** The fields of one rule of a segment, as its kind asks (a category, days, reasons, zones, branches…). */
export function RuleFields({
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
