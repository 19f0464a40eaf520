import { type CSSVariablesResolver, createTheme, localStorageColorSchemeManager } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // White text on the default shade 6 is 3.5:1; shade 8 passes WCAG AA (4.5:1) at body sizes.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // Buttons and inputs big enough for a thumb on a 360 px phone.
  components: {
    Button: { defaultProps: { size: 'sm' } },
  },
});

/** Same key as the inline script in index.html, which applies it before the first paint. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'tm-color-scheme' });

/** Dimmed text one shade darker than Mantine's default, which is 3.3:1 on white (WCAG AA needs 4.5:1). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
