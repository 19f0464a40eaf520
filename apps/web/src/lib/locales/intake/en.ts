import type { intakeEs419 } from './es-419';

/** English strings of "New lead", closing a lead's tasks, a quote's answer and a forgotten password. */
export const intakeEn: typeof intakeEs419 = {
  newLead: {
    open: 'New lead',
    title: 'New lead',
    channel: 'How did the customer reach you?',
    channels: { WALK_IN: 'Walk-in', PHONE_CALL: 'Phone call', INSTAGRAM: 'Instagram', OTHER: 'Other' },
    name: 'Name',
    phone: 'Phone',
    phoneHint: 'With or without the country code',
    phoneStored: 'Will be saved as {{phone}}',
    phoneInvalid: 'That number does not exist. Write it with the country code, e.g. +51 987 654 321',
    nameOrPhone: 'Write at least the name or the phone',
    product: 'Product (optional)',
    productPlaceholder: 'Search the catalog',
    noProduct: 'No product with that name',
    message: 'What they are looking for (optional)',
    messagePlaceholder: 'For example: a laptop for university, up to S/ 2,500',
    submit: 'Create lead',
    created: 'Lead created',
    via: 'Came by',
  },
  closeLead: {
    wonTitle: 'Mark the lead as Won?',
    closeTasks_one: 'Also close its open task',
    closeTasks_other: 'Also close its {{count}} open tasks',
    closeTasksHint: 'They will not need a follow-up any more.',
    confirmWon: 'Mark as Won',
    tasksClosed_one: "1 of the lead's tasks was closed",
    tasksClosed_other: "{{count}} of the lead's tasks were closed",
  },
  quoteAnswer: {
    acceptTitle: 'Did the customer accept quote {{number}}?',
    acceptBody: 'The lead will move to Won.',
    confirmAccept: 'Yes, accepted',
    rejectTitle: 'Did the customer reject quote {{number}}?',
    draftHint: 'Once you send it you can record whether the customer accepted or rejected it.',
  },
  forgotPassword: {
    link: 'Forgot your password?',
    title: 'Forgot your password?',
    body: 'Ask whoever runs your shop (the owner or a manager) for a link to choose a new password. The link works once and expires soon.',
    where:
      'They make it in {{settings}} → {{team}} → "{{button}}", next to your name, and share it with you on WhatsApp or however you like.',
    owner: "Are you the owner and can't get in? Ask another owner of the shop, or whoever installed the CRM.",
    back: 'Back to sign in',
  },
};
