import { Alert, Button, Card, Container, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { changePasswordBody } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { contractResolver, problemFieldErrors } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { useSession } from '../../../lib/session';
import { changePassword, logoutEverywhere } from '../api/account';
import { PushSettings } from './push-settings';

const fields = ['currentPassword', 'newPassword'];
const sentences = { newPassword: 'account.passwordTooShort' } as const;

/** "Mi cuenta": change my password, and log out on every device. */
export function AccountPage() {
  return <AccountPanel user={useSession().user} />;
}

export function AccountPanel({ user }: { user: { name: string; email: string } }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '' },
    validate: contractResolver(changePasswordBody, t, sentences),
  });

  const change = useApiMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      form.reset();
      notifications.show({ color: 'teal', message: t('account.passwordChanged') });
    },
    // A wrong current password (422) is said under it.
    onError: (error) => form.setErrors(problemFieldErrors(error, fields, t).errors),
  });
  const everywhere = useApiMutation({
    mutationFn: logoutEverywhere,
    onSettled: async () => {
      queryClient.setQueryData(['me'], null);
      await navigate({ to: '/login' });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    },
  });

  const submit = form.onSubmit((values) => change.mutate(changePasswordBody.parse(values)));
  const unplaced = change.isError && problemFieldErrors(change.error, fields, t).unplaced;

  return (
    <Container size="xs" py="md">
      <Stack>
        <div>
          <Title order={1} size="h3">
            {t('account.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {user.name} · {user.email}
          </Text>
        </div>
        <Card withBorder>
          <form onSubmit={submit} noValidate>
            <Stack>
              <Title order={2} size="h5">
                {t('account.changePassword')}
              </Title>
              {unplaced && (
                <Alert color="red" role="alert">
                  {problemMessage(change.error, t)}
                </Alert>
              )}
              <PasswordInput
                label={t('account.currentPassword')}
                autoComplete="current-password"
                required
                {...form.getInputProps('currentPassword')}
              />
              <PasswordInput
                label={t('account.newPassword')}
                description={t('account.newPasswordHint')}
                autoComplete="new-password"
                required
                {...form.getInputProps('newPassword')}
              />
              <Button type="submit" loading={change.isPending}>
                {t('account.changePassword')}
              </Button>
            </Stack>
          </form>
        </Card>
        <PushSettings />
        <Card withBorder>
          <Stack>
            <Title order={2} size="h5">
              {t('account.sessions')}
            </Title>
            <Text size="sm">{t('account.sessionsHint')}</Text>
            <Button
              color="red"
              variant="outline"
              loading={everywhere.isPending}
              onClick={() => everywhere.mutate()}
            >
              {t('account.logoutEverywhere')}
            </Button>
          </Stack>
        </Card>
      </Stack>
    </Container>
  );
}
