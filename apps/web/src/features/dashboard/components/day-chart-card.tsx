import { Paper, Text, Title, VisuallyHidden } from '@mantine/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

// Axis text in the theme's dimmed colour: readable on light and dark.
const tick = { fill: 'var(--mantine-color-dimmed)', fontSize: 12 };
const tooltipStyle = {
  background: 'var(--mantine-color-body)',
  borderColor: 'var(--mantine-color-default-border)',
  fontSize: 13,
};

export interface DayColumn {
  /** YYYY-MM-DD in the shop's calendar. */
  day: string;
  /** Short, for the axis ("26 nov"). */
  label: string;
  /** Long, for the table ("jue, 26 nov"). */
  fullLabel: string;
}

export interface DaySeries {
  key: string;
  label: string;
  color: string;
  /** One value per day, null where the day has none: a gap, never a zero. */
  values: readonly (number | null)[];
  /** The value as the table says it (index: the day's); by default the chart's `format`. */
  describe?: (value: number, index: number) => string;
}

/**
 * Figures per day of the shop's calendar as lines or bars, days on the x axis. Days without a value stay
 * empty. The SVG is hidden from screen readers; a table with the days that have figures says the same.
 */
export function DayChartCard({
  title,
  hint,
  days,
  series,
  kind,
  format,
  max,
  ticks,
  dayHeader,
  noData,
}: {
  title: string;
  hint: string;
  days: readonly DayColumn[];
  series: readonly DaySeries[];
  kind: 'line' | 'bar';
  /** Axis ticks and tooltip. */
  format: (value: number) => string;
  max?: number;
  /** Fixed y ticks (0, 25, 50, 75, 100 % for a rate), the last one the top; by default the chart picks. */
  ticks?: readonly number[];
  dayHeader: string;
  noData: string;
}) {
  const rows = days.map((day, index) => ({
    label: day.label,
    ...Object.fromEntries(series.map((s) => [s.key, s.values[index] ?? null])),
  }));
  const daysWithData = days
    .map((day, index) => ({ day, index }))
    .filter(({ index }) => series.some((s) => (s.values[index] ?? null) !== null));
  const cell = (s: DaySeries, index: number) => {
    const value = s.values[index] ?? null;
    if (value === null) return noData;
    return s.describe ? s.describe(value, index) : format(value);
  };
  const axes = [
    <CartesianGrid
      key="grid"
      strokeDasharray="3 3"
      vertical={false}
      stroke="var(--mantine-color-default-border)"
    />,
    <XAxis key="x" dataKey="label" tick={tick} minTickGap={12} />,
    <YAxis
      key="y"
      domain={[0, max ?? ticks?.at(-1) ?? 'auto']}
      ticks={ticks ? [...ticks] : undefined}
      tickFormatter={(value: number) => format(value)}
      tick={tick}
      width={60}
      allowDecimals={ticks !== undefined}
    />,
    <Tooltip
      key="tooltip"
      formatter={(value) => format(Number(value))}
      contentStyle={tooltipStyle}
      cursor={{ fill: 'var(--mantine-color-default-hover)' }}
    />,
  ];

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h5">
        {title}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {hint}
      </Text>
      {daysWithData.length === 0 ? (
        <Text size="sm" c="dimmed">
          {noData}
        </Text>
      ) : (
        <>
          <div aria-hidden="true" style={{ width: '100%', height: 240 }}>
            <ResponsiveContainer width="100%" height="100%">
              {kind === 'line' ? (
                <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                  {axes}
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  {series.map((s) => (
                    <Line
                      key={s.key}
                      dataKey={s.key}
                      name={s.label}
                      stroke={s.color}
                      strokeWidth={2}
                      // A day between two gaps has no segment: its dot is what shows it.
                      dot={{ r: 2, fill: s.color }}
                      connectNulls={false}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              ) : (
                <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                  {axes}
                  {series.map((s) => (
                    <Bar
                      key={s.key}
                      dataKey={s.key}
                      name={s.label}
                      fill={s.color}
                      radius={[3, 3, 0, 0]}
                      // A day at zero gets a sliver, so it does not look like a day without figures.
                      minPointSize={(value) => (value === null || value === undefined ? 0 : 3)}
                      isAnimationActive={false}
                    />
                  ))}
                </BarChart>
              )}
            </ResponsiveContainer>
          </div>
          <VisuallyHidden>
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{dayHeader}</th>
                  {series.map((s) => (
                    <th key={s.key} scope="col">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {daysWithData.map(({ day, index }) => (
                  <tr key={day.day}>
                    <th scope="row">{day.fullLabel}</th>
                    {series.map((s) => (
                      <td key={s.key}>{cell(s, index)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </VisuallyHidden>
        </>
      )}
    </Paper>
  );
}
