import '@mantine/dates/styles.css';
import 'dayjs/locale/es';
import 'dayjs/locale/pt-br';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

/** dayjs's name of each language the app speaks. */
const dayjsLocales: Record<string, string> = { 'es-419': 'es', 'pt-BR': 'pt-br', en: 'en' };

/**
 * The shop's holidays, chosen on a calendar (several days, any year) instead of typed: the value is the list of
 * local dates (YYYY-MM-DD), sorted. Its own module: the settings page loads it when the follow-up rules are
 * opened, so no other screen carries the calendar.
 */
export default function HolidayPicker({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string[];
  onChange: (days: string[]) => void;
  error?: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: dayjsLocales[i18n.language] ?? 'es', firstDayOfWeek: 1 }}>
      <DatePickerInput
        type="multiple"
        label={label}
        placeholder={t('policy.holidaysPlaceholder')}
        value={value}
        onChange={(days) => onChange([...days].sort())}
        valueFormat="D MMM YYYY"
        // Opens on the first holiday listed (the year's list, in order), else this month.
        defaultDate={value[0]}
        ariaLabels={{
          nextMonth: t('calendar.nextMonth'),
          previousMonth: t('calendar.previousMonth'),
          nextYear: t('calendar.nextYear'),
          previousYear: t('calendar.previousYear'),
          nextDecade: t('calendar.nextDecade'),
          previousDecade: t('calendar.previousDecade'),
          monthLevelControl: t('calendar.monthLevel'),
          yearLevelControl: t('calendar.yearLevel'),
        }}
        clearable
        error={error}
      />
    </DatesProvider>
  );
}
