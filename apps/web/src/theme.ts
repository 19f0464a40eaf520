import { createTheme, localStorageColorSchemeManager } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // Buttons and inputs big enough for a thumb on a 360 px phone.
  components: {
    Button: { defaultProps: { size: 'sm' } },
  },
});

/** Same key as the inline script in index.html, which applies it before the first paint. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'tm-color-scheme' });
