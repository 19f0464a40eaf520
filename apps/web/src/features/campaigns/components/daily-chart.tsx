import { Paper, Text, Title, VisuallyHidden } from '@mantine/core';
import type { CampaignMetrics } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Label,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { funnelSteps } from '../api/campaigns';

// Axis text in the theme's dimmed colour: readable on light and dark (as the dashboard's charts).
const tick = { fill: 'var(--mantine-color-dimmed)', fontSize: 12 };
const axisTitle = { fill: 'var(--mantine-color-dimmed)', fontSize: 11 };
const colors = {
  impressions: 'var(--mantine-color-gray-6)',
  clicks: 'var(--mantine-color-blue-6)',
  leads: 'var(--mantine-color-grape-6)',
  wins: 'var(--mantine-color-green-7)',
} as const;

/**
 * The campaign's figures per day of the shop's calendar. Impressions run an order of magnitude above the
 * rest, so they get the right-hand axis; clicks, leads and wins share the left one. Each axis says what it
 * counts and in which unit; the lines are straight between days. The numbers are also a
 * table for screen readers (the SVG is hidden from them).
 */
export function DailyChart({ metrics }: { metrics: CampaignMetrics }) {
  const { t, i18n } = useTranslation();
  const dayLabel = new Intl.DateTimeFormat(i18n.language, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  const label = (day: string) => dayLabel.format(new Date(`${day}T12:00:00Z`));
  const data = metrics.days.map((d) => ({ ...d, label: label(d.day) }));
  const title = t('campaigns.daily');
  const empty = metrics.days.every((d) => funnelSteps.every((step) => d[step] === 0));

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          {t('campaigns.noData')}
        </Text>
      ) : (
        <>
          <div aria-hidden="true" style={{ width: '100%', height: 300 }}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={data} margin={{ top: 4, right: 8, bottom: 24, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-default-border)" />
                <XAxis dataKey="label" tick={tick} minTickGap={16}>
                  <Label
                    value={t('campaigns.axisDay')}
                    position="insideBottom"
                    offset={-16}
                    style={axisTitle}
                  />
                </XAxis>
                <YAxis yAxisId="left" tick={tick} allowDecimals={false} width={56}>
                  <Label
                    value={t('campaigns.axisCounts')}
                    angle={-90}
                    position="insideLeft"
                    style={{ ...axisTitle, textAnchor: 'middle' }}
                  />
                </YAxis>
                <YAxis yAxisId="right" orientation="right" tick={tick} allowDecimals={false} width={56}>
                  <Label
                    value={t('campaigns.axisImpressions')}
                    angle={90}
                    position="insideRight"
                    style={{ ...axisTitle, textAnchor: 'middle' }}
                  />
                </YAxis>
                <Tooltip />
                <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12 }} />
                {funnelSteps.map((step) => (
                  <Line
                    key={step}
                    yAxisId={step === 'impressions' ? 'right' : 'left'}
                    // Straight segments between days: a curve would invent values between them.
                    type="linear"
                    dataKey={step}
                    name={t(`campaigns.metric.${step}`)}
                    stroke={colors[step]}
                    strokeWidth={2}
                    strokeDasharray={step === 'impressions' ? '4 3' : undefined}
                    dot={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <VisuallyHidden>
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('campaigns.day')}</th>
                  {funnelSteps.map((step) => (
                    <th key={step} scope="col">
                      {t(`campaigns.metric.${step}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{d.label}</th>
                    {funnelSteps.map((step) => (
                      <td key={step}>{d[step]}</td>
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
