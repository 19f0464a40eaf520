import { Alert, Button, Center, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { resetPasswordBody } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { contractResolver } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { meQueryOptions } from '../../../lib/session';
import { setPasswordFromLink } from '../api/account';

/** The API's body less the token, which comes from the link. */
const passwordForm = resetPasswordBody.pick({ password: true });

/**
 * The page a reset or invitation link opens: the person chooses a password and is signed in. The token comes
 * from the link's query string; the API checks it (single use, expiry).
 */
function SetPasswordPage({ kind }: { kind: 'reset' | 'invitation' }) {
  const { t } = useTranslation();
  const { token } = useSearch({ strict: false }) as { token?: string };
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { password: '' },
    validate: contractResolver(passwordForm, t, { password: 'account.passwordTooShort' }),
  });
  const mutation = useApiMutation({
    mutationFn: async (body: { token: string; password: string }) => {
      // A browser still signed in (as anyone) must echo that session's CSRF token: GET /session hands it out.
      await queryClient.fetchQuery(meQueryOptions);
      return setPasswordFromLink(kind, body);
    },
    onSuccess: async () => {
      await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
      await navigate({ to: '/' });
    },
  });

  const submit = form.onSubmit(({ password }) => {
    if (token) mutation.mutate({ token, password });
  });

  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={400} component="main">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {kind === 'reset' ? t('account.setPasswordTitle') : t('account.invitationTitle')}
            </Title>
            {!token && (
              <Alert color="red" role="alert">
                {t('account.missingToken')}
              </Alert>
            )}
            {mutation.isError && (
              <Alert color="red" role="alert">
                {problemMessage(mutation.error, t)}
              </Alert>
            )}
            <PasswordInput
              label={t('account.newPassword')}
              description={t('account.newPasswordHint')}
              autoComplete="new-password"
              required
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={mutation.isPending} disabled={!token} fullWidth>
              {t('account.setPasswordSubmit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

export const ResetPasswordPage = () => <SetPasswordPage kind="reset" />;
export const InvitationPage = () => <SetPasswordPage kind="invitation" />;
