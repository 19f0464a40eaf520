import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config';
import { collectProcessMetrics, metricNames } from './metrics';

/** The Grafana dashboard in the repository graphs only what the app exposes (a renamed metric breaks it here). */

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(path.join(repoRoot, 'deploy/grafana/techmarket.json'), 'utf8')) as {
  title: string;
  panels: Panel[];
};
const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');

/** The metric names an expression reads: ours, prom-client's process and Node metrics. */
const namesIn = (expr: string) =>
  [...expr.matchAll(/\b(?:techmarket|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);

describe('deploy/grafana/techmarket.json', () => {
  it('is a dashboard whose every panel has queries', () => {
    expect(dashboard.title).toBe('TechMarket CRM');
    expect(graphs.length).toBeGreaterThan(10);
    for (const panel of graphs) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(namesIn(target.expr), panel.title).not.toHaveLength(0);
    }
  });

  it('names only metrics the app exposes', async () => {
    collectProcessMetrics('all');
    const exposed = new Set(await metricNames());
    const unknown = graphs.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        namesIn(target.expr)
          .filter((name) => !exposed.has(name))
          .map((name) => `${panel.title}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('covers what operators watch', () => {
    const exprs = graphs.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join('\n');
    for (const name of [
      'techmarket_http_request_duration_seconds_bucket',
      'techmarket_errors_total',
      'techmarket_db_pool_connections',
      'techmarket_db_no_slot_total',
      'techmarket_job_queue_depth',
      'techmarket_job_queue_oldest_seconds',
      'techmarket_webhook_lag_seconds',
      'techmarket_clicks_total',
      'techmarket_leads_created_total',
      'techmarket_redis_fallbacks_total',
      'process_resident_memory_bytes',
    ])
      expect(exprs).toContain(name);
  });
});
