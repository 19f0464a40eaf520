import fastifyMultipart from '@fastify/multipart';
import {
  idParams,
  importKind,
  importMapping,
  importSchema,
  startImportBody,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { badField } from '../../platform/errors';
import { problems } from '../../platform/http';
import type { ImportsService } from './imports.service';

const csvBody = z.any().describe('the rejected rows as text/csv: fila, columna, motivo');

export const importsRoutes: FastifyPluginAsyncZod<{ imports: ImportsService; maxBytes: number }> = async (
  app,
  { imports, maxBytes },
) => {
  // Only this plugin reads multipart bodies; the file streams through, never held whole (size checked as it goes).
  await app.register(fastifyMultipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
  });

  app.post(
    '/tenants/:tenantId/imports',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Upload a CSV or .xlsx of customers or listings (multipart: kind, then file; mapping to start at once)',
        consumes: ['multipart/form-data'],
        params: tenantParams,
        response: { 202: importSchema, ...problems(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      if (!request.isMultipart())
        throw badField('file', 'send multipart/form-data with kind and file', 'FILE_REQUIRED');
      let kind: z.output<typeof importKind> | undefined;
      let mapping: z.output<typeof importMapping> | undefined;
      let uploaded: Awaited<ReturnType<ImportsService['upload']>> | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || uploaded) {
            part.file.resume();
            continue;
          }
          if (!kind)
            throw badField('kind', 'send kind (contacts or listings) before the file', 'IMPORT_KIND_INVALID');
          uploaded = await imports.upload(actor, {
            kind,
            fileName: part.filename,
            mimeType: part.mimetype,
            file: part.file,
            maxBytes,
          });
        } else if (part.fieldname === 'kind') {
          const parsed = importKind.safeParse(part.value);
          if (!parsed.success) throw badField('kind', 'contacts or listings', 'IMPORT_KIND_INVALID');
          kind = parsed.data;
        } else if (part.fieldname === 'mapping') {
          let json: unknown;
          try {
            json = JSON.parse(String(part.value));
          } catch {
            throw badField('mapping', 'not JSON', 'MAPPING_INVALID');
          }
          const parsed = importMapping.safeParse(json);
          if (!parsed.success)
            throw badField('mapping', 'an object of field: column header', 'MAPPING_INVALID');
          mapping = parsed.data;
        }
      }
      if (!uploaded) throw badField('file', 'required', 'FILE_REQUIRED');
      const answer = mapping ? await imports.start(actor, uploaded.id, mapping) : uploaded;
      return reply.status(202).send(answer);
    },
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'An import: its preview and mapping, then its progress and first rejected rows',
        params: idParams,
        response: { 200: importSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => imports.get(requireUser(request, 'OWNER', 'MANAGER'), request.params.id),
  );

  app.post(
    '/imports/:id/start',
    {
      schema: {
        tags: ['imports'],
        summary: 'Confirm the column mapping and import the file in the background',
        params: idParams,
        body: startImportBody,
        response: { 202: importSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(202).send(await imports.start(actor, request.params.id, request.body.mapping));
    },
  );

  app.get(
    '/imports/:id/rejections.csv',
    {
      schema: {
        tags: ['imports'],
        summary: 'The rejected rows (row, column, reason) as CSV',
        params: idParams,
        response: { 200: csvBody, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { fileName, body } = await imports.rejectionsCsv(
        requireUser(request, 'OWNER', 'MANAGER'),
        request.params.id,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
};
