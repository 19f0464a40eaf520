import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { login, meQueryOptions } from '../../../lib/session';
import { DemoCustomerLink } from './demo-customer-link';

/**
 * The form's schemas (zod, 25 KB gzip, and its schemas' construction) come with the first focus on the form, not
 * with the first paint: on a slow phone the login's heading paints sooner, and they are there before the submit.
 */
const loadSchemas = () => import('./login-schemas');

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ from: '/login' });
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  // The shops these credentials open, when there are several: the person picks one and signs in again.
  const [shops, setShops] = useState<{ id: string; name: string }[]>([]);
  const [shopId, setShopId] = useState<string | null>(null);

  const mutation = useApiMutation({
    mutationFn: login,
    onError: async (error) => {
      const { loginProblem } = await loadSchemas();
      const choice =
        error instanceof ApiError && error.problem?.code === 'TENANT_CHOICE'
          ? loginProblem.safeParse(error.problem).data?.tenants
          : undefined;
      if (choice && choice.length > 0) {
        setShops(choice);
        setShopId(choice[0]?.id ?? null);
      }
    },
    onSuccess: async () => {
      // /me brings the tenant too, and proves the cookie works.
      await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
      await navigate({ to: search.redirect ?? '/' });
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { loginBody } = await loadSchemas();
    const parsed = loginBody.safeParse({ email: email.trim(), password });
    if (!parsed.success) {
      const paths = new Set(parsed.error.issues.map((i) => i.path[0]));
      setFieldErrors({
        ...(paths.has('email') ? { email: t('login.emailInvalid') } : {}),
        ...(paths.has('password') ? { password: t('login.passwordRequired') } : {}),
      });
      return;
    }
    setFieldErrors({});
    const tenantId = shops.some((shop) => shop.id === shopId) ? shopId : null;
    mutation.mutate(tenantId ? { ...parsed.data, tenantId } : parsed.data);
  };
  const choosing = shops.length > 0;

  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={400} component="main">
        <form onSubmit={(event) => void submit(event)} onFocusCapture={() => void loadSchemas()} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                {t('login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('login.subtitle')}
              </Text>
            </div>
            {mutation.isError && !(choosing && isChoice(mutation.error)) && (
              <Alert color="red" role="alert">
                {problemMessage(mutation.error, t)}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              inputMode="email"
              required
              value={email}
              onChange={(e) => {
                setEmail(e.currentTarget.value);
                setShops([]);
              }}
              error={fieldErrors.email}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldErrors.password}
            />
            <Anchor
              component={Link}
              to="/forgot-password"
              size="sm"
              mt={-8}
              style={{ alignSelf: 'flex-end' }}
            >
              {t('forgotPassword.link')}
            </Anchor>
            {choosing && (
              <Radio.Group
                label={t('login.shop')}
                description={t('login.chooseShop')}
                value={shopId}
                onChange={setShopId}
              >
                <Stack gap="xs" mt="xs">
                  {shops.map((shop) => (
                    <Radio key={shop.id} value={shop.id} label={shop.name} />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            <Button type="submit" loading={mutation.isPending} fullWidth>
              {t('login.submit')}
            </Button>
            <DemoCustomerLink />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

const isChoice = (error: unknown) => error instanceof ApiError && error.problem?.code === 'TENANT_CHOICE';
