import {
  type CSSVariablesResolver,
  createTheme,
  defaultVariantColorsResolver,
  localStorageColorSchemeManager,
  type MantineTheme,
  type VariantColorResolverResult,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Mantine's own variant colours, remembered per theme, colour and variant: every Badge, Button and ActionIcon
 * render resolved them again (parsing the colour and computing its luminance), a measurable part of an inbox
 * list's render. The answer depends on nothing else, so it is computed once.
 */
const resolvedVariantColors = new WeakMap<MantineTheme, Map<string, VariantColorResolverResult>>();
const variantColorResolver: VariantColorsResolver = (input) => {
  let byKey = resolvedVariantColors.get(input.theme);
  if (!byKey) {
    byKey = new Map();
    resolvedVariantColors.set(input.theme, byKey);
  }
  const key = `${input.variant}|${input.color ?? ''}|${input.autoContrast ?? ''}|${input.gradient ? JSON.stringify(input.gradient) : ''}`;
  let result = byKey.get(key);
  if (!result) {
    result = defaultVariantColorsResolver(input);
    byKey.set(key, result);
  }
  return result;
};

export const theme = createTheme({
  primaryColor: 'blue',
  // White text on the default shade 6 is 3.5:1; shade 8 passes WCAG AA (4.5:1) at body sizes.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  variantColorResolver,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // Buttons and inputs big enough for a thumb on a 360 px phone.
  components: {
    Button: { defaultProps: { size: 'sm' } },
  },
});

/** Same key as the inline script in index.html, which applies it before the first paint. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'tm-color-scheme' });

const badgeColors = ['blue', 'cyan', 'teal', 'violet', 'green', 'red', 'gray', 'orange', 'yellow', 'grape'];

/**
 * Contrast for WCAG AA (4.5:1): dimmed text one shade darker than Mantine's default (3.3:1 on white),
 * and the text of light badges and buttons in shade 9 darkened by a third instead of shade 6.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      badgeColors.map((c) => [
        `--mantine-color-${c}-light-color`,
        `color-mix(in srgb, var(--mantine-color-${c}-9) 65%, black)`,
      ]),
    ),
    // Filled green (the WhatsApp buttons) at shade 8 is 3.4:1 under white text and shade 9 still 4.4:1:
    // a darker green, 5.4:1, and darker again on hover.
    '--mantine-color-green-filled': '#267a36',
    '--mantine-color-green-filled-hover': '#1f662d',
  },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
