import { Anchor, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/**
 * "¿Olvidaste tu contraseña?": the product sends no e-mail, so the way back in is a one-time reset link made by the
 * shop's owner (or a manager, for a seller) in Ajustes → Equipo, shared however they talk. This page says so.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={440} component="main">
        <Stack>
          <Title order={1} size="h2">
            {t('forgotPassword.title')}
          </Title>
          <Text>{t('forgotPassword.body')}</Text>
          <Text size="sm">
            {t('forgotPassword.where', {
              settings: t('nav.settings'),
              team: t('settings.team'),
              button: t('account.sendReset'),
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('forgotPassword.owner')}
          </Text>
          <Anchor component={Link} to="/login" size="sm">
            ← {t('forgotPassword.back')}
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}
