import type { conversationsEs419 } from './es-419';

/** Portuguese (Brazil) strings of quick replies, the inbox's conversation line and the demo's customer phone. */
export const conversationsPtBR: typeof conversationsEs419 = {
  conversationInbox: {
    you: 'Você',
    unread_one: '{{count}} mensagem não lida',
    unread_other: '{{count}} mensagens não lidas',
  },
  quickReplies: {
    tab: 'Respostas rápidas',
    intro:
      'Respostas salvas que a equipe insere no WhatsApp com um toque. Variáveis: {nome}, {produto} e {preço} são preenchidas com os dados do lead.',
    title: 'Título',
    titleHint: 'Como o vendedor a encontra, p. ex. "Saudação" ou "Entregas"',
    text: 'Mensagem',
    add: 'Nova resposta',
    save: 'Salvar',
    edit: 'Editar',
    delete: 'Excluir',
    cancel: 'Cancelar',
    confirmDelete: 'Excluir a resposta rápida "{{title}}"?',
    empty: 'Ainda não há respostas rápidas.',
    saved: 'Resposta salva',
    deleted: 'Resposta excluída',
    insertVariable: 'Inserir',
    picker: 'Respostas rápidas',
    pickerEmpty: 'Sua loja ainda não tem respostas rápidas. Um dono ou gerente as cria em Configurações.',
    search: 'Buscar resposta',
    missing: 'Complete antes de enviar: {{variables}}',
    unknownVariable: 'Variável desconhecida: {{words}}. Use {{variables}}',
  },
  demo: {
    tryAsCustomer: 'Testar como cliente',
    tryAsCustomerHint: 'Escreva para a loja de demonstração de um telefone simulado',
  },
};
