import {
  type ExportKind,
  exportFilters,
  exportFormat,
  exportKinds,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { ExportFile, ExportsService } from './exports.service';

const fileBody = z.any().describe('the rows as text/csv (UTF-8 with BOM) or an .xlsx workbook');
const formatQuery = z.object({ format: exportFormat.default('csv') });

const sendFile = (reply: FastifyReply, file: ExportFile) =>
  reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(file.body);

const summaries: Record<ExportKind, string> = {
  leads: "The inbox's leads as a file, with the inbox's filters",
  contacts: 'The customers as a file',
  quotes: 'The quotes as a file, with the quotes list filters',
  tickets: 'The service tickets as a file, with the tickets list filters',
  tasks: 'The tasks as a file, with the tasks list filters',
  kpis: "The dashboard's KPI table (totals and one row per group) as a file",
};

/**
 * `GET /tenants/{tenantId}/exports/{kind}?format=csv|xlsx&…`, and the same as `/exports/{kind}.csv` or `.xlsx`
 * (the format in the path wins). Every kind takes its own list's filters.
 */
export const exportsRoutes: FastifyPluginAsyncZod<{ exports: ExportsService }> = async (app, { exports }) => {
  for (const kind of exportKinds) {
    const filter = exportFilters[kind];
    const schema = {
      tags: ['exports'],
      summary: summaries[kind],
      description:
        'Streamed as it is read. Times in the shop time zone; money in each row currency; cells that a spreadsheet would take for a formula start with an apostrophe. A SELLER gets their branches only.',
      response: { 200: fileBody, ...problems(400, 401, 404) },
    };
    app.get(
      `/tenants/:tenantId/exports/${kind}`,
      { schema: { ...schema, params: tenantParams, querystring: filter.and(formatQuery) } },
      async (request, reply) => {
        const { tenantId } = request.params;
        const { format, ...rest } = request.query;
        const viewer = requireTenant(request, tenantId);
        return sendFile(reply, await exports.exportTable(viewer, tenantId, kind, format, rest as never));
      },
    );
    app.get(
      `/tenants/:tenantId/exports/${kind}.:format`,
      {
        schema: {
          ...schema,
          params: tenantParams.extend({ format: exportFormat }),
          querystring: filter,
        },
      },
      async (request, reply) => {
        const { tenantId, format } = request.params;
        const viewer = requireTenant(request, tenantId);
        return sendFile(
          reply,
          await exports.exportTable(viewer, tenantId, kind, format, request.query as never),
        );
      },
    );
  }
};
