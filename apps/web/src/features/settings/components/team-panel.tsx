import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { createUserBody, type User, type UserRole, userRoles } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { Loading } from '../../../components/query-state';
import { SettingsPanel } from '../../../components/settings-panel';
import { useBackCloses } from '../../../lib/back-closes';
import { contractResolver } from '../../../lib/form';
import { formatDateTime } from '../../../lib/format';
import { problemMessage } from '../../../lib/problem-message';
import { branchesQueryOptions, byId, usersQueryOptions } from '../../../lib/tenant-data';
import { inviteUser, issuePasswordReset, type PasswordResetLink, updateUser } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

/** The API's invitation body: no password, the person sets theirs from the link. */
const inviteForm = createUserBody.pick({ name: true, email: true, role: true, branchIds: true });
type InviteFormValues = z.output<typeof inviteForm>;
const emptyInvite: InviteFormValues = { name: '', email: '', role: 'SELLER', branchIds: [] };

export function TeamPanel({ tenantId, meId, meRole }: { tenantId: string; meId: string; meRole: UserRole }) {
  const { t, i18n } = useTranslation();
  const users = useQuery(usersQueryOptions(tenantId));
  const branches = useQuery(branchesQueryOptions(tenantId));
  const branchById = byId(branches.data);
  const [opened, { open, close }] = useDisclosure(false);
  useBackCloses(opened, close);
  const form = useForm<InviteFormValues>({
    initialValues: emptyInvite,
    validate: contractResolver(inviteForm, t),
  });
  const [invitation, setInvitation] = useState<string | null>(null);
  const key = usersQueryOptions(tenantId).queryKey;
  const invite = useAdminMutation(
    (values: InviteFormValues) => inviteUser(tenantId, values),
    key,
    (created) => {
      setInvitation(created.invitationUrl);
      form.reset();
    },
  );
  const toggle = useAdminMutation(
    (input: { id: string; active: boolean; version: number }) =>
      updateUser(tenantId, input.id, { active: input.active, version: input.version }),
    key,
  );
  // Role and branches of someone already on the team.
  const [editing, setEditing] = useState<User | null>(null);
  const [edit, setEdit] = useState({ role: 'SELLER' as UserRole, branchIds: [] as string[] });
  useBackCloses(editing !== null, () => setEditing(null));
  const save = useAdminMutation(
    (user: User) => updateUser(tenantId, user.id, { ...edit, version: user.version }),
    key,
    () => setEditing(null),
  );

  // A reset link: an owner for anyone else, a manager for a seller (the API checks it too).
  const [resetFor, setResetFor] = useState<{ user: User; link: PasswordResetLink | null } | null>(null);
  const mayReset = (user: User) =>
    user.id !== meId && user.active && (meRole === 'OWNER' || user.role === 'SELLER');
  useBackCloses(resetFor !== null, () => setResetFor(null));
  const reset = useAdminMutation(
    (user: User) => issuePasswordReset(tenantId, user.id),
    key,
    (link) => setResetFor((current) => (current ? { ...current, link } : current)),
  );

  return (
    <SettingsPanel
      query={users}
      header={
        <Group justify="flex-end">
          <Button
            size="xs"
            onClick={() => {
              setInvitation(null);
              open();
            }}
          >
            {t('settings.invite')}
          </Button>
        </Group>
      }
      renderItem={(user) => (
        <Card key={user.id} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Group gap={6}>
                <Text fw={600} truncate>
                  {user.name}
                </Text>
                <Badge size="xs" variant="light">
                  {t(`role.${user.role}`)}
                </Badge>
                {user.invitationPending && (
                  <Badge size="xs" color="yellow" variant="light">
                    {t('settings.pending')}
                  </Badge>
                )}
              </Group>
              <Text size="sm" c="dimmed" truncate>
                {user.email}
                {user.branchIds.length > 0 &&
                  ` · ${user.branchIds.map((id) => branchById.get(id)?.name ?? '?').join(', ')}`}
              </Text>
            </div>
            <Group gap="xs" wrap="nowrap">
              <Button
                size="compact-xs"
                variant="default"
                disabled={user.id === meId}
                onClick={() => {
                  setEdit({ role: user.role, branchIds: user.branchIds });
                  setEditing(user);
                }}
              >
                {t('settings.edit')}
              </Button>
              {mayReset(user) && (
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => {
                    setResetFor({ user, link: null });
                    reset.mutate(user);
                  }}
                >
                  {t('account.sendReset')}
                </Button>
              )}
              <Switch
                aria-label={`${user.name}: ${t('settings.active')}`}
                label={user.active ? t('settings.active') : t('settings.inactive')}
                checked={user.active}
                disabled={user.id === meId}
                onChange={(e) =>
                  toggle.mutate({ id: user.id, active: e.currentTarget.checked, version: user.version })
                }
              />
            </Group>
          </Group>
        </Card>
      )}
    >
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing?.name ?? ''}>
        <Stack>
          <Select
            label={t('settings.role')}
            allowDeselect={false}
            value={edit.role}
            data={userRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(value) => value && setEdit({ ...edit, role: value as UserRole })}
          />
          <MultiSelect
            label={t('settings.branchesOf')}
            value={edit.branchIds}
            data={(branches.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
            onChange={(branchIds) => setEdit({ ...edit, branchIds })}
          />
          <Button loading={save.isPending} onClick={() => editing && save.mutate(editing)}>
            {t('settings.save')}
          </Button>
        </Stack>
      </Modal>
      <Modal
        opened={resetFor !== null}
        onClose={() => setResetFor(null)}
        title={t('account.resetTitle', { name: resetFor?.user.name ?? '' })}
      >
        {resetFor?.link ? (
          <Alert color="teal">
            <Text size="sm">
              {t('account.resetLink', { until: formatDateTime(resetFor.link.expiresAt, i18n.language) })}
            </Text>
            <Code block mt="xs" data-testid="reset-link">
              {resetFor.link.resetUrl}
            </Code>
            <Group mt="xs" gap="xs">
              <CopyButton value={resetFor.link.resetUrl}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? t('account.copied') : t('account.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button
                size="xs"
                variant="light"
                component="a"
                href={`https://wa.me/?text=${encodeURIComponent(resetFor.link.resetUrl)}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t('account.shareWhatsapp')}
              </Button>
            </Group>
          </Alert>
        ) : reset.isError ? (
          <Alert color="red" role="alert">
            {problemMessage(reset.error, t)}
          </Alert>
        ) : (
          <Loading />
        )}
      </Modal>
      <Modal opened={opened} onClose={close} title={t('settings.inviteTitle')}>
        {invitation ? (
          <Alert color="teal">
            <Text size="sm">{t('settings.invitationLink')}</Text>
            <Code block mt="xs">
              {invitation}
            </Code>
          </Alert>
        ) : (
          <form onSubmit={form.onSubmit((values) => invite.mutate(values))} noValidate>
            <Stack>
              <TextInput label={t('settings.name')} withAsterisk {...form.getInputProps('name')} />
              <TextInput
                label={t('settings.email')}
                type="email"
                withAsterisk
                {...form.getInputProps('email')}
              />
              <Select
                label={t('settings.role')}
                allowDeselect={false}
                data={userRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                {...form.getInputProps('role')}
              />
              <MultiSelect
                label={t('settings.branchesOf')}
                data={(branches.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
                {...form.getInputProps('branchIds')}
              />
              <Button type="submit" loading={invite.isPending}>
                {t('settings.invite')}
              </Button>
            </Stack>
          </form>
        )}
      </Modal>
    </SettingsPanel>
  );
}
