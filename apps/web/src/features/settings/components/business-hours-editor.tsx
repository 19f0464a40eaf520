import { Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import type { BusinessHours } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';

export const weekdayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdayKeys)[number];
/** One opening interval per day is what a small shop needs; the API accepts up to four. */
export type DayHours = { open: boolean; from: string; to: string };
export type WeekHours = Record<Weekday, DayHours>;

export function toWeekHours(hours: BusinessHours): WeekHours {
  return Object.fromEntries(
    weekdayKeys.map((day) => {
      const first = hours[day]?.[0];
      return [
        day,
        first
          ? { open: true, from: first.open, to: first.close }
          : { open: false, from: '09:00', to: '19:00' },
      ];
    }),
  ) as WeekHours;
}

export function fromWeekHours(week: WeekHours): BusinessHours {
  return Object.fromEntries(
    weekdayKeys.map((day) => [day, week[day].open ? [{ open: week[day].from, close: week[day].to }] : []]),
  );
}

/** A week of opening hours, in the branch's own time zone. */
export function BusinessHoursEditor({
  value,
  onChange,
}: {
  value: WeekHours;
  onChange: (next: WeekHours) => void;
}) {
  const { t } = useTranslation();
  const set = (day: Weekday, patch: Partial<DayHours>) =>
    onChange({ ...value, [day]: { ...value[day], ...patch } });
  return (
    <Stack gap={6}>
      {weekdayKeys.map((day) => (
        <Group key={day} gap="xs" wrap="nowrap">
          <Checkbox
            w={110}
            label={t(`weekday.${day}`)}
            checked={value[day].open}
            onChange={(e) => set(day, { open: e.currentTarget.checked })}
          />
          {value[day].open ? (
            <>
              <TextInput
                type="time"
                size="xs"
                aria-label={`${t(`weekday.${day}`)}: ${t('settings.opens')}`}
                value={value[day].from}
                onChange={(e) => set(day, { from: e.currentTarget.value })}
              />
              <Text size="xs">–</Text>
              <TextInput
                type="time"
                size="xs"
                aria-label={`${t(`weekday.${day}`)}: ${t('settings.closes')}`}
                value={value[day].to}
                onChange={(e) => set(day, { to: e.currentTarget.value })}
              />
            </>
          ) : (
            <Text size="xs" c="dimmed">
              {t('settings.closed')}
            </Text>
          )}
        </Group>
      ))}
    </Stack>
  );
}
