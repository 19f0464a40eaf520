import { queryOptions } from '@tanstack/react-query';
import type { Import, ImportKind, ImportMapping } from '@techmarket/contracts';
import { apiRequest, apiUpload, buildUrl } from '../../../lib/api-client';

export const importKey = (importId: string) => ['import', importId] as const;

/** An import, asked again every second while its job is queued or running: the progress bar's source. */
export const importQueryOptions = (importId: string) =>
  queryOptions({
    queryKey: importKey(importId),
    queryFn: ({ signal }) => apiRequest<Import>(`/imports/${importId}`, { signal }),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'QUEUED' || status === 'RUNNING' ? 1000 : false;
    },
  });

/** Uploads the file (kind first: the API reads it before the file); answers the preview and suggested mapping. */
export function uploadImport(tenantId: string, kind: ImportKind, file: File) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', file, file.name);
  return apiUpload<Import>(`/tenants/${tenantId}/imports`, form);
}

export const startImport = (importId: string, mapping: ImportMapping) =>
  apiRequest<Import>(`/imports/${importId}/start`, { method: 'POST', body: { mapping } });

/** The rejected rows as CSV: a plain link, the session cookie goes with it. */
export const rejectionsUrl = (importId: string) => buildUrl(`/imports/${importId}/rejections.csv`);
