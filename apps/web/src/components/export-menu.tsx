import { Button, Menu } from '@mantine/core';
import type { ExportKind } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { buildUrl } from '../lib/api-client';

export type ExportFilters = Record<string, string | number | boolean | undefined | null>;

/**
 * "Exportar": the list on screen, with its filters, as a CSV or Excel file. Plain links: the browser downloads
 * the file as the API streams it (the session cookie goes with a same-origin GET), so a large export never
 * passes through the page's memory.
 */
export function ExportMenu({
  tenantId,
  kind,
  filters = {},
}: {
  tenantId: string;
  kind: ExportKind;
  filters?: ExportFilters;
}) {
  const { t } = useTranslation();
  const query = Object.fromEntries(
    Object.entries(filters).map(([key, value]) => [key, typeof value === 'boolean' ? String(value) : value]),
  );
  const href = (format: 'csv' | 'xlsx') => buildUrl(`/tenants/${tenantId}/exports/${kind}.${format}`, query);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" size="sm">
          {t('exportMenu.label')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('exportMenu.hint')}</Menu.Label>
        <Menu.Item component="a" href={href('csv')} download>
          {t('exportMenu.csv')}
        </Menu.Item>
        <Menu.Item component="a" href={href('xlsx')} download>
          {t('exportMenu.xlsx')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
