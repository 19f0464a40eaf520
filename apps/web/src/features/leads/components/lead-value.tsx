import { Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { currencies, type Lead, moneyInputText, parseMoney } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MoneyInput } from '../../../components/money-input';
import { formatMoney } from '../../../lib/format';
import { useUpdateLead } from '../hooks/use-update-lead';

/**
 * What the lead is worth and where that comes from (its accepted quote, its product's price, or typed by hand),
 * with a way to type it: a hand value holds until a quote is accepted, and can be given back to the automatic one.
 */
export function LeadValue({ lead, defaultCurrency }: { lead: Lead; defaultCurrency: string }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateLead();
  const [editing, setEditing] = useState(false);
  const [currency, setCurrency] = useState(lead.currency ?? defaultCurrency);
  const [amount, setAmount] = useState(() =>
    lead.value !== null && lead.currency !== null ? moneyInputText(lead.value, lead.currency) : '',
  );
  const parsed = amount.trim() ? parseMoney(amount, currency) : null;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (parsed === null) return;
    update.mutate(
      { lead, change: { value: parsed, currency, version: lead.version } },
      { onSuccess: () => setEditing(false) },
    );
  };

  if (!editing)
    return (
      <Group gap="xs" wrap="wrap" data-testid="lead-value">
        <Text size="sm" fw={600}>
          {lead.value !== null && lead.currency !== null
            ? formatMoney(lead.value, lead.currency, i18n.language)
            : t('lead.noValue')}
        </Text>
        {lead.valueSource && (
          <Text size="xs" c="dimmed">
            {t(`lead.valueFrom.${lead.valueSource}`)}
          </Text>
        )}
        <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
          {t('lead.editValue')}
        </Button>
        {lead.valueSource === 'MANUAL' && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            loading={update.isPending}
            onClick={() => update.mutate({ lead, change: { value: null, version: lead.version } })}
          >
            {t('lead.automaticValue')}
          </Button>
        )}
      </Group>
    );

  return (
    <Stack gap={4} component="form" onSubmit={save} aria-label={t('lead.editValue')}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <NativeSelect
          label={t('lead.currency')}
          value={currency}
          onChange={(event) => setCurrency(event.currentTarget.value)}
          data={[...currencies]}
          w={90}
        />
        <MoneyInput
          label={t('lead.value')}
          currency={currency}
          value={amount}
          onChange={setAmount}
          error={amount.trim() && parsed === null ? t('form.invalidAmount') : undefined}
          style={{ flex: 1 }}
        />
      </Group>
      <Group gap="xs">
        <Button size="xs" type="submit" disabled={parsed === null} loading={update.isPending}>
          {t('lead.saveValue')}
        </Button>
        <Button size="xs" variant="subtle" color="gray" onClick={() => setEditing(false)}>
          {t('lead.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
