import { Button, Card, Group, Image, Modal, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useClipboard, useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { createLinkBody, textField } from '@techmarket/contracts';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { SettingsPanel } from '../../../components/settings-panel';
import { contractResolver } from '../../../lib/form';
import { branchesQueryOptions, byId, listingsQueryOptions } from '../../../lib/tenant-data';
import { createLink, linksQueryOptions, type TrackedLink, updateLink } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

/** The API's link body; an empty product or label is not sent. */
const linkForm = createLinkBody.pick({ branchId: true }).extend({
  listingId: createLinkBody.shape.listingId.or(z.literal('')),
  label: textField().trim().max(120),
});
type LinkFormValues = z.input<typeof linkForm>;
const emptyLink: LinkFormValues = { branchId: '', listingId: '', label: '' };

/** Tracked short links for the counter and social media, each with its QR code to download. */
export function LinksPanel({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const links = useQuery(linksQueryOptions(tenantId));
  const branches = useQuery(branchesQueryOptions(tenantId));
  const listings = useQuery(listingsQueryOptions(tenantId));
  const branchById = byId(branches.data);
  const listingById = byId(listings.data);
  const [opened, { open, close }] = useDisclosure(false);
  const form = useForm<LinkFormValues>({
    initialValues: emptyLink,
    validate: contractResolver(linkForm, t, { branchId: 'settings.linkBranchRequired' }),
  });
  const key = linksQueryOptions(tenantId).queryKey;
  const create = useAdminMutation(
    ({ branchId, listingId, label }: LinkFormValues) =>
      createLink(tenantId, {
        branchId,
        ...(listingId ? { listingId } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
      }),
    key,
    () => {
      close();
      form.setValues(emptyLink);
    },
  );
  const toggle = useAdminMutation(
    (input: { id: string; active: boolean }) => updateLink(tenantId, input.id, { active: input.active }),
    key,
  );

  return (
    <SettingsPanel
      query={links}
      header={
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed">
            {t('settings.linksHint')}
          </Text>
          <Button
            size="xs"
            // No branch is chosen for the owner: a link opens its branch's WhatsApp, so a wrong guess sends
            // customers to another shop's number.
            onClick={open}
            style={{ flexShrink: 0 }}
          >
            {t('settings.newLink')}
          </Button>
        </Group>
      }
      renderItem={(link) => (
        <LinkCard
          key={link.id}
          link={link}
          branch={branchById.get(link.branchId)?.name ?? ''}
          product={link.listingId ? (listingById.get(link.listingId)?.title ?? null) : null}
          onToggle={(active) => toggle.mutate({ id: link.id, active })}
        />
      )}
    >
      <Modal opened={opened} onClose={close} title={t('settings.newLink')}>
        <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
          <Stack>
            <Select
              label={t('inbox.branch')}
              withAsterisk
              required
              allowDeselect={false}
              data={(branches.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
              {...form.getInputProps('branchId')}
              value={form.values.branchId || null}
              onChange={(value) => form.setFieldValue('branchId', value ?? '')}
            />
            <Select
              label={t('settings.product')}
              clearable
              searchable
              data={(listings.data ?? [])
                .filter((l) => l.active)
                .map((l) => ({ value: l.id, label: l.title }))}
              {...form.getInputProps('listingId')}
              value={form.values.listingId || null}
              onChange={(value) => form.setFieldValue('listingId', value ?? '')}
            />
            <TextInput label={t('settings.label')} maxLength={120} {...form.getInputProps('label')} />
            <Button type="submit" loading={create.isPending}>
              {t('settings.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </SettingsPanel>
  );
}

function LinkCard({
  link,
  branch,
  product,
  onToggle,
}: {
  link: TrackedLink;
  branch: string;
  product: string | null;
  onToggle: (active: boolean) => void;
}) {
  const { t } = useTranslation();
  const [png, setPng] = useState<string | null>(null);
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void Promise.all([
      QRCode.toDataURL(link.url, { width: 512, margin: 2, errorCorrectionLevel: 'M' }),
      QRCode.toString(link.url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
    ]).then(([dataUrl, svgText]) => {
      if (cancelled) return;
      setPng(dataUrl);
      setSvg(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [link.url]);
  const label = link.label ?? link.code;
  const clipboard = useClipboard({ timeout: 2000 });
  // The phone's own share sheet (WhatsApp, Instagram…) where the browser has one; elsewhere, a copy.
  const share = () => {
    if (typeof navigator.share !== 'function') {
      clipboard.copy(link.url);
      return;
    }
    // Closing the sheet without choosing rejects: nothing to say about it.
    navigator.share({ title: label, url: link.url }).catch(() => {});
  };
  const file = `qr-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <Card withBorder padding="sm">
      <Group wrap="nowrap" align="flex-start">
        {png ? (
          <Image src={png} alt={t('settings.qrOf', { label })} w={96} h={96} />
        ) : (
          <div style={{ width: 96, height: 96 }} />
        )}
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Group justify="space-between" wrap="nowrap">
            <Text fw={600} truncate>
              {label}
            </Text>
            <Switch
              aria-label={`${label}: ${t('settings.active')}`}
              checked={link.active}
              onChange={(e) => onToggle(e.currentTarget.checked)}
            />
          </Group>
          <Text size="sm" truncate>
            <a href={link.url} target="_blank" rel="noopener noreferrer">
              {link.url}
            </a>
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {branch}
            {product ? ` · ${product}` : ''} · {t('settings.clicks', { count: link.clicks })}
          </Text>
          <Group gap="xs">
            <Button
              size="compact-xs"
              variant="light"
              aria-label={t('settings.copyLinkOf', { label })}
              onClick={() => clipboard.copy(link.url)}
            >
              {clipboard.copied ? t('settings.copied') : t('settings.copyLink')}
            </Button>
            <Button
              size="compact-xs"
              variant="light"
              aria-label={t('settings.shareLinkOf', { label })}
              onClick={share}
            >
              {t('settings.shareLink')}
            </Button>
            {png && (
              <Button component="a" href={png} download={`${file}.png`} size="compact-xs" variant="light">
                {t('settings.downloadPng')}
              </Button>
            )}
            {svg && (
              <Button component="a" href={svg} download={`${file}.svg`} size="compact-xs" variant="light">
                {t('settings.downloadSvg')}
              </Button>
            )}
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}
