/**
 * Spanish (Latin America) strings of the ways in and out of a lead: "Nuevo lead" (entered by hand), closing a
 * lead's tasks with it, the customer's answer to a quote, and the forgotten password.
 */
export const intakeEs419 = {
  newLead: {
    open: 'Nuevo lead',
    title: 'Nuevo lead',
    channel: '¿Cómo llegó el cliente?',
    channels: { WALK_IN: 'En el local', PHONE_CALL: 'Llamada', INSTAGRAM: 'Instagram', OTHER: 'Otro' },
    name: 'Nombre',
    phone: 'Teléfono',
    phoneHint: 'Con o sin el código del país',
    phoneStored: 'Se guardará como {{phone}}',
    phoneInvalid: 'Ese número no existe. Escríbelo con el código del país, por ejemplo +51 987 654 321',
    nameOrPhone: 'Escribe al menos el nombre o el teléfono',
    product: 'Producto (opcional)',
    productPlaceholder: 'Busca en el catálogo',
    noProduct: 'Ningún producto con ese nombre',
    message: 'Lo que busca (opcional)',
    messagePlaceholder: 'Por ejemplo: una laptop para la universidad, hasta S/ 2,500',
    submit: 'Crear lead',
    created: 'Lead creado',
    via: 'Llegó por',
  },
  closeLead: {
    wonTitle: '¿Marcar el lead como Ganado?',
    closeTasks_one: 'Cerrar también su tarea abierta',
    closeTasks_other: 'Cerrar también sus {{count}} tareas abiertas',
    closeTasksHint: 'Ya no hará falta hacerles seguimiento.',
    confirmWon: 'Marcar como Ganado',
    tasksClosed_one: 'Se cerró 1 tarea del lead',
    tasksClosed_other: 'Se cerraron {{count}} tareas del lead',
  },
  quoteAnswer: {
    acceptTitle: '¿El cliente aceptó la cotización {{number}}?',
    acceptBody: 'El lead pasará a Ganado.',
    confirmAccept: 'Sí, aceptó',
    rejectTitle: '¿El cliente rechazó la cotización {{number}}?',
    draftHint: 'Cuando la envíes podrás registrar si el cliente la aceptó o la rechazó.',
  },
  forgotPassword: {
    link: '¿Olvidaste tu contraseña?',
    title: '¿Olvidaste tu contraseña?',
    body: 'Pídele a quien administra tu tienda (el dueño o un gerente) un enlace para elegir una contraseña nueva. El enlace sirve una sola vez y vence en poco tiempo.',
    where:
      'Lo crea en {{settings}} → {{team}} → «{{button}}», junto a tu nombre, y te lo comparte por WhatsApp o como prefieran.',
    owner:
      '¿Eres el dueño y no puedes entrar? Pide ayuda a otro dueño de la tienda, o a quien instaló el CRM.',
    back: 'Volver a ingresar',
  },
};
