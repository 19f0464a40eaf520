import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { es419 } from './locales/es-419';

export const languages = [
  { code: 'es-419', label: 'Español' },
  { code: 'pt-BR', label: 'Português' },
  { code: 'en', label: 'English' },
] as const;
export type Language = (typeof languages)[number]['code'];

const STORAGE_KEY = 'tm-language';
const isLanguage = (value: unknown): value is Language => languages.some((l) => l.code === value);

/** The saved choice, else Spanish (the shops' language); Portuguese browsers start in Portuguese. */
export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // storage blocked (private mode): fall through
  }
  const browser = typeof navigator === 'undefined' ? '' : navigator.language.toLowerCase();
  return browser.startsWith('pt') ? 'pt-BR' : 'es-419';
}

// Spanish ships with the app; the other catalogs are fetched when chosen, so most first visits skip them.
const catalogs: Record<Exclude<Language, 'es-419'>, () => Promise<typeof es419>> = {
  'pt-BR': () => import('./locales/pt-br').then((m) => m.ptBR),
  en: () => import('./locales/en').then((m) => m.en),
};

/** Makes sure a language's strings are there before it is shown. */
export async function loadLanguage(instance: I18n, language: Language) {
  if (language === 'es-419' || instance.hasResourceBundle(language, 'translation')) return;
  instance.addResourceBundle(language, 'translation', await catalogs[language]());
}

export async function setLanguage(instance: I18n, language: Language) {
  await loadLanguage(instance, language);
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = language;
  await instance.changeLanguage(language);
}

/** Starts in `language`; call `loadLanguage` for it before the first render when it is not Spanish. */
export function createI18n(language: Language = initialLanguage()) {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'es-419',
    resources: { 'es-419': { translation: es419 } },
    interpolation: { escapeValue: false },
    // One namespace, and no key holds a colon: without a namespace separator, each t() skips the look for one
    // (a regular expression per call, a few percent of a list's render).
    nsSeparator: false,
    initAsync: false,
    returnNull: false,
  });
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  return instance;
}
