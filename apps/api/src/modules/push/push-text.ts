import type { PushAlert, PushLanguage } from '@techmarket/contracts';

/** What a push tells: the alert, the lead's customer, and a detail some alerts carry (a task's title, a quote's number). */
export const pushKinds = [
  'leadAssigned',
  'customerReplied',
  'taskDue',
  'escalation',
  'quoteAccepted',
  'quoteRejected',
] as const;
export type PushKind = (typeof pushKinds)[number];

/** The preference that turns each kind off. */
export const preferenceOf: Record<PushKind, PushAlert> = {
  leadAssigned: 'leadAssigned',
  customerReplied: 'customerReplied',
  taskDue: 'taskDue',
  escalation: 'escalation',
  quoteAccepted: 'quoteDecided',
  quoteRejected: 'quoteDecided',
};

type Text = (customer: string, detail: string | null) => { title: string; body: string };

/** The pushes' words, in the web app's three languages (a push is written in the one its device was using). */
const texts: Record<PushLanguage, Record<PushKind, Text>> = {
  'es-419': {
    leadAssigned: (c) => ({ title: `Nuevo lead: ${c}`, body: 'Te lo asignaron. Tócalo para abrirlo.' }),
    customerReplied: (c, d) => ({ title: `${c} te escribió`, body: d ?? 'Tienes un mensaje nuevo.' }),
    taskDue: (c, d) => ({ title: `Tarea pendiente: ${c}`, body: d ?? 'Tienes una tarea por hacer.' }),
    escalation: (c, d) => ({ title: `Lead sin respuesta: ${c}`, body: d ?? 'Revísalo y reasígnalo.' }),
    quoteAccepted: (c, d) => ({ title: `${c} aceptó la cotización`, body: d ? `Cotización N.º ${d}` : '' }),
    quoteRejected: (c, d) => ({ title: `${c} rechazó la cotización`, body: d ? `Cotización N.º ${d}` : '' }),
  },
  'pt-BR': {
    leadAssigned: (c) => ({ title: `Novo lead: ${c}`, body: 'Foi atribuído a você. Toque para abrir.' }),
    customerReplied: (c, d) => ({
      title: `${c} escreveu para você`,
      body: d ?? 'Você tem uma nova mensagem.',
    }),
    taskDue: (c, d) => ({ title: `Tarefa pendente: ${c}`, body: d ?? 'Você tem uma tarefa a fazer.' }),
    escalation: (c, d) => ({ title: `Lead sem resposta: ${c}`, body: d ?? 'Revise e reatribua.' }),
    quoteAccepted: (c, d) => ({ title: `${c} aceitou o orçamento`, body: d ? `Orçamento nº ${d}` : '' }),
    quoteRejected: (c, d) => ({ title: `${c} recusou o orçamento`, body: d ? `Orçamento nº ${d}` : '' }),
  },
  en: {
    leadAssigned: (c) => ({ title: `New lead: ${c}`, body: 'It was assigned to you. Tap to open it.' }),
    customerReplied: (c, d) => ({ title: `${c} wrote to you`, body: d ?? 'You have a new message.' }),
    taskDue: (c, d) => ({ title: `Task due: ${c}`, body: d ?? 'You have a task to do.' }),
    escalation: (c, d) => ({ title: `Unanswered lead: ${c}`, body: d ?? 'Review it and reassign it.' }),
    quoteAccepted: (c, d) => ({ title: `${c} accepted the quote`, body: d ? `Quote no. ${d}` : '' }),
    quoteRejected: (c, d) => ({ title: `${c} declined the quote`, body: d ? `Quote no. ${d}` : '' }),
  },
};

const languageOf = (value: string): PushLanguage => (value === 'pt-BR' || value === 'en' ? value : 'es-419');

export function pushText(language: string, kind: PushKind, customer: string, detail: string | null) {
  return texts[languageOf(language)][kind](customer, detail);
}
