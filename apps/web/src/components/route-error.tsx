import { Alert, Button, Center, Stack } from '@mantine/core';
import { type ErrorComponentProps, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../lib/problem-message';

/** A screen that could not load: the reason in plain words, and a way to try again. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  const router = useRouter();
  return (
    <Center mih="50vh" p="md">
      <Stack maw={480}>
        <Alert color="red" title={t('errors.title')} role="alert">
          {problemMessage(error, t)}
        </Alert>
        <Button
          onClick={() => {
            reset();
            void router.invalidate();
          }}
        >
          {t('errors.retry')}
        </Button>
      </Stack>
    </Center>
  );
}
