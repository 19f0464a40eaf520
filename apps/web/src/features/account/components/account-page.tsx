import { Alert, Button, Card, Container, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { changePasswordBody } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { problemMessage } from '../../../lib/problem-message';
import { useSession } from '../../../lib/session';
import { changePassword, logoutEverywhere } from '../api/account';
import { PushSettings } from './push-settings';

/** "Mi cuenta": change my password, and log out on every device. */
export function AccountPage() {
  return <AccountPanel user={useSession().user} />;
}

export function AccountPanel({ user }: { user: { name: string; email: string } }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);

  const change = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
      notifications.show({ color: 'teal', message: t('account.passwordChanged') });
    },
  });
  const everywhere = useMutation({
    mutationFn: logoutEverywhere,
    onSettled: async () => {
      queryClient.setQueryData(['me'], null);
      await navigate({ to: '/login' });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = changePasswordBody.safeParse({ currentPassword, newPassword });
    setTooShort(!parsed.success && parsed.error.issues.some((i) => i.path[0] === 'newPassword'));
    if (parsed.success) change.mutate(parsed.data);
  };
  /** The problem's entry for a field, when the API named it. */
  const fieldError = (field: string) =>
    change.error instanceof ApiError
      ? change.error.problem?.errors?.find((e) => e.path.endsWith(field))
      : undefined;

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
              {change.isError && !fieldError('Password') && (
                <Alert color="red" role="alert">
                  {problemMessage(change.error, t)}
                </Alert>
              )}
              <PasswordInput
                label={t('account.currentPassword')}
                autoComplete="current-password"
                required
                value={currentPassword}
                onChange={(e) => setCurrentPassword(e.currentTarget.value)}
                error={fieldError('currentPassword') ? problemMessage(change.error, t) : undefined}
              />
              <PasswordInput
                label={t('account.newPassword')}
                description={t('account.newPasswordHint')}
                autoComplete="new-password"
                required
                value={newPassword}
                onChange={(e) => setNewPassword(e.currentTarget.value)}
                error={
                  tooShort
                    ? t('account.passwordTooShort')
                    : fieldError('newPassword')
                      ? problemMessage(change.error, t)
                      : undefined
                }
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
