import { Button, Card, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type Branch, createBranchBody, textField } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { AddButton, SettingsPanel } from '../../../components/settings-panel';
import { TimeZoneSelect } from '../../../components/time-zone-select';
import { contractResolver } from '../../../lib/form';
import { formatPhone } from '../../../lib/phone';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { createBranch, updateBranch } from '../api/admin';
import { BusinessHoursEditor, fromWeekHours, toWeekHours, type WeekHours } from './business-hours-editor';
import { useAdminMutation } from './use-admin-mutation';

/** The API's branch body; the area may be left empty (it is then not sent). */
const branchForm = createBranchBody
  .pick({ name: true, whatsappPhone: true, timezone: true })
  .extend({ zone: textField().trim().max(120) });
type BranchFormValues = z.input<typeof branchForm>;

export function BranchesPanel({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const branches = useQuery(branchesQueryOptions(tenantId));
  const [opened, { open, close }] = useDisclosure(false);
  const form = useForm<BranchFormValues>({
    initialValues: { name: '', whatsappPhone: '', timezone: 'America/Lima', zone: '' },
    validate: contractResolver(branchForm, t),
  });
  const key = branchesQueryOptions(tenantId).queryKey;
  const create = useAdminMutation(
    ({ zone, ...values }: BranchFormValues) =>
      createBranch(tenantId, { ...values, ...(zone ? { zone } : {}) }),
    key,
    () => {
      close();
      form.reset();
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

  return (
    <SettingsPanel
      query={branches}
      header={<AddButton label={t('settings.addBranch')} onClick={open} />}
      renderItem={(branch) => (
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
      )}
    >
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
        <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
          <Stack>
            <TextInput label={t('settings.name')} withAsterisk {...form.getInputProps('name')} />
            <TextInput
              label={t('settings.whatsapp')}
              withAsterisk
              type="tel"
              placeholder="+51 987 654 321"
              {...form.getInputProps('whatsappPhone')}
            />
            <TimeZoneSelect
              label={t('settings.timezone')}
              withAsterisk
              {...form.getInputProps('timezone')}
              value={form.values.timezone}
              onChange={(zone) => form.setFieldValue('timezone', zone)}
            />
            <TextInput label={t('settings.zone')} {...form.getInputProps('zone')} />
            <Button type="submit" loading={create.isPending}>
              {t('settings.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </SettingsPanel>
  );
}
