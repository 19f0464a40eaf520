import { type Import, importSchema, startImportBody } from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { getting, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { ImportsView } from './imports-page';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const importId = '0190f0f0-0000-7000-8000-000000000077';

const preview: Import = {
  id: importId,
  tenantId,
  kind: 'contacts',
  status: 'PREVIEW',
  fileName: 'clientes.csv',
  format: 'csv',
  encoding: 'windows-1252',
  headers: ['Nombre', 'Teléfono', 'Mail'],
  preview: [
    ['Ana Quispe', '987 654 321', 'ana@example.com'],
    ['Luis Rojas', '12', 'luis@example.com'],
  ],
  mapping: { name: 'Nombre', phone: 'Teléfono' },
  total: null,
  processed: 0,
  imported: 0,
  updated: 0,
  rejected: 0,
  errors: [],
  createdAt: '2026-12-07T12:00:00.000Z',
  startedAt: null,
  finishedAt: null,
};

/** The API: the upload answers the preview, the start is recorded, then the import is polled to its end. */
function serveImport() {
  const seen: { uploads?: number; mapping?: unknown } = {};
  let polls = 0;
  server.use(
    // jsdom's FormData and File cannot be read back by Node's fetch here: the upload is seen, its body is the API
    // tests' business (imports.test.ts sends real multipart files).
    http.post(`*/api/v1/tenants/${tenantId}/imports`, () => {
      seen.uploads = (seen.uploads ?? 0) + 1;
      return HttpResponse.json(importSchema.parse(preview), { status: 202 });
    }),
    sending(
      'post',
      '/imports/:id/start',
      { body: startImportBody, schema: importSchema, status: 202 },
      (body): Import => {
        seen.mapping = body.mapping;
        return { ...preview, status: 'QUEUED', mapping: body.mapping };
      },
    ),
    getting('/imports/:id', importSchema, (): Import => {
      polls += 1;
      return polls === 1
        ? { ...preview, status: 'RUNNING', total: 2, processed: 1, startedAt: preview.createdAt }
        : {
            ...preview,
            status: 'DONE',
            total: 2,
            processed: 2,
            imported: 1,
            rejected: 1,
            errors: [{ row: 3, field: 'phone', message: 'Teléfono no válido' }],
            startedAt: preview.createdAt,
            finishedAt: preview.createdAt,
          };
    }),
  );
  return seen;
}

describe('ImportsView', () => {
  it('uploads a file, maps its columns, and follows the import to the report of rejected rows', async () => {
    const seen = serveImport();
    const { container } = await renderWithProviders(<ImportsView tenantId={tenantId} />);

    const input = container.querySelector('input[type="file"]');
    if (!(input instanceof HTMLInputElement)) throw new Error('no file input');
    await userEvent.upload(input, new File(['Nombre;Teléfono;Mail\n'], 'clientes.csv', { type: 'text/csv' }));
    await userEvent.click(screen.getByRole('button', { name: 'Subir y ver la vista previa' }));

    // The preview, with the mapping the API suggested; the e-mail column is mapped by hand.
    expect(await screen.findByText('Ana Quispe')).toBeInTheDocument();
    expect(seen.uploads).toBe(1);
    expect(screen.getByText('Codificación: windows-1252')).toBeInTheDocument();
    expect(screen.getByLabelText(/Teléfono/)).toHaveValue('Teléfono');
    expect(screen.getByLabelText('Correo')).toHaveValue('');
    await userEvent.selectOptions(screen.getByLabelText('Correo'), 'Mail');

    await userEvent.click(screen.getByRole('button', { name: 'Importar' }));
    await waitFor(() => expect(seen.mapping).toEqual({ name: 'Nombre', phone: 'Teléfono', email: 'Mail' }));

    // The progress bar, then the result and the report's link.
    expect(await screen.findByRole('progressbar', { name: 'Avance de la importación' })).toBeInTheDocument();
    expect(await screen.findByText('Terminado', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText('1 nuevos, 0 actualizados, 1 rechazados')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Descargar las filas rechazadas (CSV)' })).toHaveAttribute(
      'href',
      `/api/v1/imports/${importId}/rejections.csv`,
    );
    const rejected = screen.getByRole('row', { name: /Teléfono no válido/ });
    expect(within(rejected).getByText('3')).toBeInTheDocument();
  });

  it('keeps the import button off until every required column is mapped', async () => {
    serveImport();
    const { container } = await renderWithProviders(<ImportsView tenantId={tenantId} />);
    const input = container.querySelector('input[type="file"]');
    if (!(input instanceof HTMLInputElement)) throw new Error('no file input');
    await userEvent.upload(input, new File(['x'], 'clientes.csv', { type: 'text/csv' }));
    await userEvent.click(screen.getByRole('button', { name: 'Subir y ver la vista previa' }));
    await screen.findByText('Ana Quispe');
    expect(screen.getByRole('button', { name: 'Importar' })).toBeEnabled();
    await userEvent.selectOptions(screen.getByLabelText(/Teléfono/), 'No importar');
    expect(screen.getByRole('button', { name: 'Importar' })).toBeDisabled();
  });
});
