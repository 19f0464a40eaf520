import { Alert, Box, Card, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type State = 'loading' | 'ready' | 'failed';

/** The quote's PDF as the customer will see it, drawn in the page (PDF.js loads only when it is opened). */
export function QuotePdfPreview({ url, revision }: { url: string; revision: string }) {
  const { t } = useTranslation();
  const pages = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>('loading');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `revision` redraws the PDF after the quote changed
  useEffect(() => {
    const target = pages.current;
    if (!target) return;
    const controller = new AbortController();
    setState('loading');
    const width = Math.min(target.clientWidth || 360, 820);
    import('../lib/render-pdf')
      .then(({ renderPdf }) => renderPdf(url, width, controller.signal))
      .then((canvases) => {
        if (controller.signal.aborted) return;
        canvases.forEach((canvas, i) => {
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', t('quotes.previewPage', { page: i + 1, pages: canvases.length }));
          canvas.dataset.testid = 'quote-pdf-page';
        });
        target.replaceChildren(...canvases);
        setState('ready');
      })
      .catch(() => {
        if (!controller.signal.aborted) setState('failed');
      });
    return () => controller.abort();
  }, [url, revision, t]);

  return (
    <Card withBorder p="xs" data-testid="quote-pdf-preview" data-state={state}>
      <Stack gap="xs">
        {state === 'loading' && (
          <Box role="status" ta="center" py="md">
            <Loader size="sm" />
            <Text size="sm" c="dimmed">
              {t('quotes.previewLoading')}
            </Text>
          </Box>
        )}
        {state === 'failed' && <Alert color="yellow">{t('quotes.previewFailed')}</Alert>}
        <Stack ref={pages} gap="xs" style={{ background: 'var(--mantine-color-gray-1)' }} />
      </Stack>
    </Card>
  );
}
