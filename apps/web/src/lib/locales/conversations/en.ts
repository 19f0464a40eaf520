import type { conversationsEs419 } from './es-419';

/** English strings of quick replies, the inbox's conversation line and the demo's customer phone. */
export const conversationsEn: typeof conversationsEs419 = {
  conversationInbox: {
    you: 'You',
    unread_one: '{{count}} unread message',
    unread_other: '{{count}} unread messages',
  },
  quickReplies: {
    tab: 'Quick replies',
    intro:
      'Saved answers your team drops into WhatsApp with one tap. Variables: {name}, {product} and {price} are filled from the lead.',
    title: 'Title',
    titleHint: 'How a seller finds it, e.g. "Greeting" or "Delivery"',
    text: 'Message',
    add: 'New reply',
    save: 'Save',
    edit: 'Edit',
    delete: 'Delete',
    cancel: 'Cancel',
    confirmDelete: 'Delete the quick reply "{{title}}"?',
    empty: 'No quick replies yet.',
    saved: 'Reply saved',
    deleted: 'Reply deleted',
    insertVariable: 'Insert',
    picker: 'Quick replies',
    pickerEmpty: 'Your shop has no quick replies yet. An owner or manager creates them in Settings.',
    search: 'Search replies',
    missing: 'Fill in before sending: {{variables}}',
    unknownVariable: 'Unknown variable: {{words}}. Use {{variables}}',
  },
  demo: {
    tryAsCustomer: 'Try it as a customer',
    tryAsCustomerHint: 'Write to the demo shop from a simulated phone',
  },
};
