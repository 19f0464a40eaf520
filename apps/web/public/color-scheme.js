// The saved color scheme before the first paint, so a dark theme does not flash white.
const savedScheme = (() => {
  try {
    return localStorage.getItem('tm-color-scheme');
  } catch {
    return null;
  }
})();
const dark =
  savedScheme === 'dark' ||
  ((!savedScheme || savedScheme === 'auto') && matchMedia('(prefers-color-scheme: dark)').matches);
document.documentElement.setAttribute('data-mantine-color-scheme', dark ? 'dark' : 'light');
