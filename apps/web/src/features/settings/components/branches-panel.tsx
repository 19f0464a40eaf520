import { Button, Card, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { Branch } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { formatPhone } from '../../../lib/phone';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { createBranch, updateBranch } from '../api/admin';
import { BusinessHoursEditor, fromWeekHours, toWeekHours, type WeekHours } from './business-hours-editor';
import { useAdminMutation } from './use-admin-mutation';

export function BranchesPanel({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const branches = useQuery(branchesQueryOptions(tenantId));
  const [opened, { open, close }] = useDisclosure(false);
  const [form, setForm] = useState({ name: '', whatsappPhone: '', timezone: 'America/Lima', zone: '' });
  const key = branchesQueryOptions(tenantId).queryKey;
  const create = useAdminMutation(
    () => createBranch(tenantId, { ...form, ...(form.zone ? { zone: form.zone } : { zone: undefined }) }),
    key,
    () => {
      close();
      setForm({ name: '', whatsappPhone: '', timezone: 'America/Lima', zone: '' });
    },
  );
  const toggle = useAdminMutation(
    (input: { id: string; active: boolean; version: number }) =>
      updateBranch(tenantId, input.id, { active: input.active, version: input.version }),
    key,
  );
  const [hoursOf, setHoursOf] = useState<Branch | null>(null);
  const [week, setWeek] = useState<WeekHours | null>(null);
  const saveHours = useAdminMutation(
    (branch: Branch) =>
      updateBranch(tenantId, branch.id, {
        businessHours: fromWeekHours(week ?? toWeekHours(branch.businessHours)),
        version: branch.version,
      }),
    key,
    () => setHoursOf(null),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(undefined);
  };

  if (branches.isPending) return <Loading />;
  if (branches.isError) return <ErrorState error={branches.error} onRetry={() => void branches.refetch()} />;
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <Button size="xs" onClick={open}>
          {t('settings.addBranch')}
        </Button>
      </Group>
      {branches.data.length === 0 && <EmptyState title={t('settings.empty')} />}
      {branches.data.map((branch) => (
        <Card key={branch.id} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text fw={600} truncate>
                {branch.name}
              </Text>
              <Text size="sm" c="dimmed">
                {t('settings.whatsapp')}: {formatPhone(branch.whatsappPhone) || '—'} · {branch.timezone}
                {branch.zone ? ` · ${branch.zone}` : ''}
              </Text>
            </div>
            <Group gap="xs" wrap="nowrap">
              <Button
                size="compact-xs"
                variant="default"
                onClick={() => {
                  setWeek(toWeekHours(branch.businessHours));
                  setHoursOf(branch);
                }}
              >
                {t('settings.hours')}
              </Button>
              <Switch
                aria-label={`${branch.name}: ${t('settings.active')}`}
                label={branch.active ? t('settings.active') : t('settings.inactive')}
                checked={branch.active}
                onChange={(e) =>
                  toggle.mutate({ id: branch.id, active: e.currentTarget.checked, version: branch.version })
                }
              />
            </Group>
          </Group>
        </Card>
      ))}
      <Modal
        opened={hoursOf !== null}
        onClose={() => setHoursOf(null)}
        title={`${t('settings.hours')} · ${hoursOf?.name ?? ''} (${hoursOf?.timezone ?? ''})`}
      >
        <Stack>
          {week && <BusinessHoursEditor value={week} onChange={setWeek} />}
          <Button loading={saveHours.isPending} onClick={() => hoursOf && saveHours.mutate(hoursOf)}>
            {t('settings.save')}
          </Button>
        </Stack>
      </Modal>
      <Modal opened={opened} onClose={close} title={t('settings.addBranch')}>
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('settings.name')}
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <TextInput
              label={t('settings.whatsapp')}
              required
              type="tel"
              placeholder="+51 987 654 321"
              value={form.whatsappPhone}
              onChange={(e) => setForm({ ...form, whatsappPhone: e.currentTarget.value })}
            />
            <TextInput
              label={t('settings.timezone')}
              required
              value={form.timezone}
              onChange={(e) => setForm({ ...form, timezone: e.currentTarget.value })}
            />
            <TextInput
              label={t('settings.zone')}
              value={form.zone}
              onChange={(e) => setForm({ ...form, zone: e.currentTarget.value })}
            />
            <Button type="submit" loading={create.isPending}>
              {t('settings.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
