import { Button, Card, Group, Image, Modal, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { branchesQueryOptions, byId, listingsQueryOptions } from '../../../lib/tenant-data';
import { createLink, linksQueryOptions, type TrackedLink, updateLink } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

/** Tracked short links for the counter and social media, each with its QR code to download. */
export function LinksPanel({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const links = useQuery(linksQueryOptions(tenantId));
  const branches = useQuery(branchesQueryOptions(tenantId));
  const listings = useQuery(listingsQueryOptions(tenantId));
  const branchById = byId(branches.data);
  const listingById = byId(listings.data);
  const [opened, { open, close }] = useDisclosure(false);
  const [form, setForm] = useState({ branchId: '', listingId: '', label: '' });
  const key = linksQueryOptions(tenantId).queryKey;
  const create = useAdminMutation(
    () =>
      createLink(tenantId, {
        branchId: form.branchId,
        ...(form.listingId ? { listingId: form.listingId } : {}),
        ...(form.label.trim() ? { label: form.label.trim() } : {}),
      }),
    key,
    () => {
      close();
      setForm({ branchId: '', listingId: '', label: '' });
    },
  );
  const toggle = useAdminMutation(
    (input: { id: string; active: boolean }) => updateLink(tenantId, input.id, { active: input.active }),
    key,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.branchId) create.mutate(undefined);
  };

  if (links.isPending) return <Loading />;
  if (links.isError) return <ErrorState error={links.error} onRetry={() => void links.refetch()} />;
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" c="dimmed">
          {t('settings.linksHint')}
        </Text>
        <Button
          size="xs"
          onClick={() => {
            setForm((f) => ({ ...f, branchId: f.branchId || (branches.data?.[0]?.id ?? '') }));
            open();
          }}
          style={{ flexShrink: 0 }}
        >
          {t('settings.newLink')}
        </Button>
      </Group>
      {links.data.length === 0 && <EmptyState title={t('settings.empty')} />}
      {links.data.map((link) => (
        <LinkCard
          key={link.id}
          link={link}
          branch={branchById.get(link.branchId)?.name ?? ''}
          product={link.listingId ? (listingById.get(link.listingId)?.title ?? null) : null}
          onToggle={(active) => toggle.mutate({ id: link.id, active })}
        />
      ))}
      <Modal opened={opened} onClose={close} title={t('settings.newLink')}>
        <form onSubmit={submit}>
          <Stack>
            <Select
              label={t('inbox.branch')}
              required
              allowDeselect={false}
              value={form.branchId || null}
              data={(branches.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
              onChange={(value) => setForm({ ...form, branchId: value ?? '' })}
            />
            <Select
              label={t('settings.product')}
              clearable
              searchable
              value={form.listingId || null}
              data={(listings.data ?? [])
                .filter((l) => l.active)
                .map((l) => ({ value: l.id, label: l.title }))}
              onChange={(value) => setForm({ ...form, listingId: value ?? '' })}
            />
            <TextInput
              label={t('settings.label')}
              maxLength={120}
              value={form.label}
              onChange={(e) => setForm({ ...form, label: e.currentTarget.value })}
            />
            <Button type="submit" loading={create.isPending} disabled={!form.branchId}>
              {t('settings.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Stack>
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
