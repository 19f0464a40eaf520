import 'i18next';
import type { es419 } from './lib/locales/es-419';

// The Spanish catalog is the source (the others must have its keys, catalogs.test.ts checks): with it as the
// resource type, `t('a.key')` that no catalog has is a type error instead of a raw key on screen.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof es419 };
  }
}
