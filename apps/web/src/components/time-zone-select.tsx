import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { timeZoneChoices, zoneLabel } from '../lib/time-zones';

/**
 * A time zone chosen, not typed: the browser's IANA zones, Latin America first, searchable by city or name
 * ("lima", "Buenos Aires", "America/Bogota"), each with its offset today. The value is the zone's IANA name.
 */
export function TimeZoneSelect({
  value,
  onChange,
  ...props
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string;
  onChange: (zone: string) => void;
}) {
  const { t } = useTranslation();
  const data = useMemo(() => {
    const now = new Date();
    const { latinAmerica, others } = timeZoneChoices(value);
    const options = (zones: string[]) => zones.map((zone) => ({ value: zone, label: zoneLabel(zone, now) }));
    return [
      { group: t('timeZone.latinAmerica'), items: options(latinAmerica) },
      { group: t('timeZone.others'), items: options(others) },
    ];
  }, [t, value]);
  return (
    <Select
      searchable
      allowDeselect={false}
      nothingFoundMessage={t('timeZone.nothingFound')}
      {...props}
      data={data}
      value={value || null}
      onChange={(zone) => onChange(zone ?? '')}
    />
  );
}
