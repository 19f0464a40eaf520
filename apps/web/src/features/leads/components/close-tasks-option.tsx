import { Checkbox } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The offer that comes with closing a lead: its open tasks close with it, ticked unless the person unticks it. */
export function CloseTasksOption({
  count,
  checked,
  onChange,
}: {
  count: number;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <Checkbox
      label={t('closeLead.closeTasks', { count })}
      description={t('closeLead.closeTasksHint')}
      checked={checked}
      onChange={(event) => onChange(event.currentTarget.checked)}
    />
  );
}
