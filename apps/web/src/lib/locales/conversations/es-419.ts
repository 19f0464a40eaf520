/** Spanish (Latin America) strings of quick replies, the inbox's conversation line and the demo's customer phone. */
export const conversationsEs419 = {
  conversationInbox: {
    you: 'Tú',
    unread_one: '{{count}} mensaje sin leer',
    unread_other: '{{count}} mensajes sin leer',
  },
  quickReplies: {
    tab: 'Respuestas rápidas',
    intro:
      'Respuestas guardadas que el equipo inserta en WhatsApp con un toque. Variables: {nombre}, {producto} y {precio} se llenan con los datos del lead.',
    title: 'Título',
    titleHint: 'Cómo la encuentra el vendedor, p. ej. "Saludo" o "Envíos"',
    text: 'Mensaje',
    add: 'Nueva respuesta',
    save: 'Guardar',
    edit: 'Editar',
    delete: 'Eliminar',
    cancel: 'Cancelar',
    confirmDelete: '¿Eliminar la respuesta rápida "{{title}}"?',
    empty: 'Aún no hay respuestas rápidas.',
    saved: 'Respuesta guardada',
    deleted: 'Respuesta eliminada',
    insertVariable: 'Insertar',
    picker: 'Respuestas rápidas',
    pickerEmpty: 'Tu tienda aún no tiene respuestas rápidas. Un dueño o gerente las crea en Configuración.',
    search: 'Buscar respuesta',
    missing: 'Completa antes de enviar: {{variables}}',
    unknownVariable: 'Variable desconocida: {{words}}. Usa {{variables}}',
  },
  demo: {
    tryAsCustomer: 'Probar como cliente',
    tryAsCustomerHint: 'Escribe a la tienda de demostración desde un teléfono simulado',
  },
};
