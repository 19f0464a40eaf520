import type { ExportKind } from '@techmarket/contracts';
import type { Column } from './table-writer';

/**
 * Each export's columns, in the order of its query's (exports.repository.ts) and, for the KPIs, of kpiRows.
 * Spanish headers: the files are for the shop's people and their accountant. Codes (status, source, priority)
 * stay as the API names them, so a file can be filtered and read back by other tools.
 */
const text = (header: string, width?: number): Column => ({
  header,
  type: 'text',
  ...(width ? { width } : {}),
});
const local = (header: string): Column => ({ header, type: 'local', width: 17 });
const money = (header: string, currencyColumn: number): Column => ({ header, type: 'money', currencyColumn });
const number = (header: string): Column => ({ header, type: 'number', width: 12 });
const rate = (header: string): Column => ({ header, type: 'rate', width: 12 });

export const exportTables: Record<ExportKind, readonly Column[]> = {
  leads: [
    text('Código'),
    local('Creado'),
    text('Etapa'),
    text('Origen'),
    text('Prioridad'),
    text('Tipo'),
    text('Sucursal'),
    text('Vendedor'),
    text('Cliente', 24),
    text('Teléfono'),
    text('Correo', 24),
    text('Producto', 36),
    money('Precio', 13),
    text('Moneda', 8),
    text('Campaña'),
    text('Motivo de pérdida'),
    local('Primera respuesta'),
    local('Cambio de etapa'),
    local('Última actividad'),
  ],
  contacts: [
    text('Nombre', 24),
    text('Teléfono'),
    text('Correo', 24),
    text('Acepta promociones'),
    local('Consentimiento desde'),
    text('Origen del consentimiento'),
    local('Baja de promociones'),
    number('Leads'),
    local('Creado'),
  ],
  quotes: [
    number('Número'),
    local('Creada'),
    text('Estado'),
    text('Sucursal'),
    text('Cliente', 24),
    text('Teléfono'),
    text('Lead'),
    text('Moneda', 8),
    money('Subtotal', 7),
    money('Descuento', 7),
    money('Impuesto', 7),
    money('Total', 7),
    local('Válida hasta'),
    local('Enviada'),
    local('Decidida'),
    text('Motivo de rechazo'),
  ],
  tickets: [
    text('Asunto', 36),
    text('Estado'),
    text('Prioridad'),
    local('Creado'),
    local('Vence (SLA)'),
    local('Resuelto'),
    local('Cerrado'),
    text('Sucursal'),
    text('Responsable'),
    text('Cliente', 24),
    text('Teléfono'),
    text('Lead'),
  ],
  tasks: [
    text('Tarea', 36),
    text('Tipo'),
    text('Estado'),
    local('Vence'),
    local('Hecha'),
    text('Responsable'),
    text('Sucursal'),
    text('Lead'),
    text('Cliente', 24),
    text('Teléfono'),
  ],
  kpis: [
    text('Grupo', 24),
    number('Leads'),
    number('Respondidos'),
    number('Sin respuesta'),
    number('Mediana 1ª respuesta (min)'),
    number('P90 1ª respuesta (min)'),
    number('Ganados'),
    number('Perdidos'),
    rate('Conversión'),
    rate('Tasa de cierre'),
    number('Seguimientos debidos'),
    number('Seguimientos a tiempo'),
    rate('Cumplimiento'),
  ],
};

/** The file's sheet (xlsx) and the first part of its name. */
export const exportTitles: Record<ExportKind, string> = {
  leads: 'leads',
  contacts: 'clientes',
  quotes: 'cotizaciones',
  tickets: 'tickets',
  tasks: 'tareas',
  kpis: 'indicadores',
};
