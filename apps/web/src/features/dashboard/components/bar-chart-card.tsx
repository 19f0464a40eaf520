import { Paper, Text, Title, VisuallyHidden } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

// Axis text in the theme's dimmed colour: readable on light and dark.
const tick = { fill: 'var(--mantine-color-dimmed)', fontSize: 12 };

export interface BarDatum {
  label: string;
  value: number;
}

/**
 * A titled bar chart with its numbers also as a list for screen readers (the SVG is hidden from
 * them). Horizontal bars keep long labels readable on a 360 px phone.
 */
export function BarChartCard({
  title,
  data,
  format = (value) => String(value),
  color = 'var(--mantine-color-blue-6)',
  max,
  emptyLabel,
}: {
  title: string;
  data: BarDatum[];
  format?: (value: number) => string;
  color?: string;
  max?: number;
  emptyLabel: string;
}) {
  const height = Math.max(120, data.length * 36 + 40);
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {emptyLabel}
        </Text>
      ) : (
        <>
          <div aria-hidden="true" style={{ width: '100%', height }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
                <CartesianGrid
                  strokeDasharray="3 3"
                  horizontal={false}
                  stroke="var(--mantine-color-default-border)"
                />
                <XAxis
                  type="number"
                  domain={[0, max ?? 'auto']}
                  tickFormatter={(value: number) => format(value)}
                  tick={tick}
                  allowDecimals={false}
                />
                <YAxis type="category" dataKey="label" width={110} tick={tick} interval={0} />
                <Tooltip formatter={(value) => format(Number(value))} />
                <Bar dataKey="value" fill={color} radius={[0, 4, 4, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <VisuallyHidden>
            <ul>
              {data.map((d) => (
                <li key={d.label}>
                  {d.label}: {format(d.value)}
                </li>
              ))}
            </ul>
          </VisuallyHidden>
        </>
      )}
    </Paper>
  );
}
