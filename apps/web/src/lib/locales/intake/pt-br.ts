import type { intakeEs419 } from './es-419';

/** Portuguese (Brazil) strings of "Novo lead", closing a lead's tasks, a quote's answer and a forgotten password. */
export const intakePtBR: typeof intakeEs419 = {
  newLead: {
    open: 'Novo lead',
    title: 'Novo lead',
    channel: 'Como o cliente chegou?',
    channels: { WALK_IN: 'Na loja', PHONE_CALL: 'Ligação', INSTAGRAM: 'Instagram', OTHER: 'Outro' },
    name: 'Nome',
    phone: 'Telefone',
    phoneHint: 'Com ou sem o código do país',
    phoneStored: 'Será salvo como {{phone}}',
    phoneInvalid: 'Esse número não existe. Escreva com o código do país, por exemplo +55 11 91234 5678',
    nameOrPhone: 'Escreva pelo menos o nome ou o telefone',
    product: 'Produto (opcional)',
    productPlaceholder: 'Busque no catálogo',
    noProduct: 'Nenhum produto com esse nome',
    message: 'O que procura (opcional)',
    messagePlaceholder: 'Por exemplo: um notebook para a faculdade, até R$ 3.000',
    submit: 'Criar lead',
    created: 'Lead criado',
    via: 'Chegou por',
  },
  closeLead: {
    wonTitle: 'Marcar o lead como Ganho?',
    closeTasks_one: 'Fechar também a tarefa aberta',
    closeTasks_other: 'Fechar também as {{count}} tarefas abertas',
    closeTasksHint: 'Não será mais preciso fazer o acompanhamento.',
    confirmWon: 'Marcar como Ganho',
    tasksClosed_one: '1 tarefa do lead foi fechada',
    tasksClosed_other: '{{count}} tarefas do lead foram fechadas',
  },
  quoteAnswer: {
    acceptTitle: 'O cliente aceitou o orçamento {{number}}?',
    acceptBody: 'O lead passará a Ganho.',
    confirmAccept: 'Sim, aceitou',
    rejectTitle: 'O cliente recusou o orçamento {{number}}?',
    draftHint: 'Depois de enviá-lo, você poderá registrar se o cliente aceitou ou recusou.',
  },
  forgotPassword: {
    link: 'Esqueceu sua senha?',
    title: 'Esqueceu sua senha?',
    body: 'Peça a quem administra sua loja (o dono ou um gerente) um link para escolher uma senha nova. O link serve uma única vez e vence em pouco tempo.',
    where:
      'Ele é criado em {{settings}} → {{team}} → «{{button}}», ao lado do seu nome, e compartilhado com você pelo WhatsApp ou como preferirem.',
    owner: 'Você é o dono e não consegue entrar? Peça ajuda a outro dono da loja, ou a quem instalou o CRM.',
    back: 'Voltar para entrar',
  },
};
