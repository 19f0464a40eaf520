import { Button, Group, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ManualChannel, manualChannels } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { useApiMutation } from '../../../lib/mutation';
import { formatPhone, normalizePhone } from '../../../lib/phone';
import { fieldErrorSentence, problemMessage } from '../../../lib/problem-message';
import type { Me } from '../../../lib/session';
import { branchesQueryOptions, listingsQueryOptions } from '../../../lib/tenant-data';
import { createLead, leadsKey } from '../api/leads';

interface NewLeadValues {
  name: string;
  phone: string;
  branchId: string;
  listingId: string | null;
  channel: ManualChannel;
  message: string;
}

/** Where a problem's field path lands in this form (`body.contact.phone` and `contact.phone` are the phone). */
const formField: Record<string, keyof NewLeadValues> = {
  'contact.name': 'name',
  'contact.phone': 'phone',
  branchId: 'branchId',
  listingId: 'listingId',
  channel: 'channel',
  message: 'message',
};

/**
 * "Nuevo lead": a customer who walked in, called or wrote on Instagram, entered by hand. The phone is read in the
 * branch's country and shown as it will be stored; the API assigns the lead (to the seller who enters it, else by
 * the branch's strategy) and the new lead's page opens.
 */
export function NewLeadForm({ me, onDone }: { me: Me; onDone: () => void }) {
  const { t } = useTranslation();
  const tenantId = me.tenant.id;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const branches = useQuery(branchesQueryOptions(tenantId));
  const listings = useQuery(listingsQueryOptions(tenantId));
  // A seller enters leads at the branches they work; the others at any open branch.
  const ownBranches = (branches.data ?? []).filter(
    (b) => b.active && (me.user.role !== 'SELLER' || me.user.branchIds.includes(b.id)),
  );
  const countryOf = (id: string) => branches.data?.find((b) => b.id === id)?.countryCode ?? null;
  // Until one is picked (or when there is only one), the first of them.
  const branchOf = (values: Pick<NewLeadValues, 'branchId'>) => values.branchId || ownBranches[0]?.id || '';
  const form = useForm<NewLeadValues>({
    mode: 'controlled',
    initialValues: {
      name: '',
      phone: '',
      branchId: me.user.branchIds[0] ?? '',
      listingId: null,
      channel: 'WALK_IN',
      message: '',
    },
    validate: {
      name: (name, values) => (name.trim() || values.phone.trim() ? null : t('newLead.nameOrPhone')),
      phone: (phone, values) =>
        !phone.trim() || normalizePhone(phone, countryOf(branchOf(values)))
          ? null
          : t('newLead.phoneInvalid'),
      branchId: (_branchId, values) => (branchOf(values) ? null : t('form.required')),
    },
  });
  const branchId = branchOf(form.values);
  const stored = form.values.phone.trim() ? normalizePhone(form.values.phone, countryOf(branchId)) : null;

  const create = useApiMutation({
    mutationFn: (values: NewLeadValues) =>
      createLead(tenantId, {
        branchId: values.branchId,
        contact: {
          ...(values.name.trim() ? { name: values.name.trim() } : {}),
          ...(values.phone.trim()
            ? { phone: normalizePhone(values.phone, countryOf(values.branchId)) ?? values.phone }
            : {}),
        },
        ...(values.listingId ? { listingId: values.listingId } : {}),
        ...(values.message.trim() ? { message: values.message.trim() } : {}),
        source: 'MANUAL',
        channel: values.channel,
      }),
    onSuccess: (lead) => {
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      notifications.show({ color: 'teal', message: t('newLead.created') });
      onDone();
      void navigate({ to: '/leads/$leadId', params: { leadId: lead.id } });
    },
    onError: (error) => {
      // A field the API names goes under that field; anything else is said once, in a toast.
      const named = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
      let placed = false;
      for (const issue of named) {
        const field = formField[issue.path.replace(/^body\./, '')];
        if (field) {
          form.setFieldError(
            field,
            field === 'phone' ? t('newLead.phoneInvalid') : fieldErrorSentence(issue, t),
          );
          placed = true;
        }
      }
      if (!placed) {
        notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) });
      }
    },
  });

  return (
    <form noValidate onSubmit={form.onSubmit((values) => create.mutate({ ...values, branchId }))}>
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={500} mb={4} id="new-lead-channel">
            {t('newLead.channel')}
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="new-lead-channel"
            data={manualChannels.map((value) => ({ value, label: t(`newLead.channels.${value}`) }))}
            {...form.getInputProps('channel')}
          />
        </div>
        <TextInput
          label={t('newLead.name')}
          autoComplete="off"
          maxLength={120}
          data-autofocus
          {...form.getInputProps('name')}
        />
        <TextInput
          label={t('newLead.phone')}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          maxLength={32}
          description={
            stored ? t('newLead.phoneStored', { phone: formatPhone(stored) }) : t('newLead.phoneHint')
          }
          {...form.getInputProps('phone')}
        />
        {ownBranches.length > 1 && (
          <Select
            label={t('lead.branch')}
            allowDeselect={false}
            data={ownBranches.map((b) => ({ value: b.id, label: b.name }))}
            {...form.getInputProps('branchId')}
            value={branchId}
          />
        )}
        <Select
          label={t('newLead.product')}
          placeholder={t('newLead.productPlaceholder')}
          searchable
          clearable
          nothingFoundMessage={t('newLead.noProduct')}
          data={(listings.data ?? []).filter((l) => l.active).map((l) => ({ value: l.id, label: l.title }))}
          {...form.getInputProps('listingId')}
        />
        <Textarea
          label={t('newLead.message')}
          placeholder={t('newLead.messagePlaceholder')}
          autosize
          minRows={2}
          maxLength={4000}
          {...form.getInputProps('message')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={create.isPending}>
            {t('lead.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('newLead.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
